import { collapse } from '../text';

/*
 * The agency part of a heading or sentence that addresses work ("Giao Sở X chủ trì …", "1. Sở Tư pháp:",
 * "Thủ trưởng các sở, ban, ngành …"): shared by the addressed duties and the key/value task blocks.
 */

// What may stand before the agency: "Giao", "Đề nghị", a role ("Thủ trưởng", "Chủ tịch", "Bộ trưởng").
const PREFIX = /^(?:(?:giao(?:\s+cho)?|đề nghị|yêu cầu)\s+)?(?:(?:thủ trưởng|giám đốc|chủ tịch|bộ trưởng|người đứng đầu|lãnh đạo)\s+)?/iu;
// An agency named by its kind and a capitalised name ("Sở Nội vụ", "Ban Quản lý …"), one that needs no name
// ("Công an tỉnh", "Ủy ban nhân dân …"), or a group ("Các sở, ban, ngành", "các cơ quan", "UBND các xã").
const AGENCY = new RegExp(
  '^(?:' +
    [
      '(?:Sở|Ban|Bộ|Cục|Chi cục|Viện|Trung tâm|Đài|Báo|Hội|Kho bạc|Ngân hàng|Tòa án|Viện kiểm sát|Thanh tra|Liên đoàn|Văn phòng|Thuế|Công ty|Tổng công ty|Chi nhánh|Liên minh|Mặt trận|Bảo hiểm xã hội)\\s+(?:\\p{Lu}|các\\s)',
      '(?:Ủy ban|Uỷ ban|UBND|Công an|Cảnh sát|Tỉnh đoàn|Thành đoàn|Tỉnh ủy|Thành ủy|Quân khu)(?=[\\s,:;]|$)',
      // The tax office of a province since 2025 ("Thuế tỉnh Đắk Lắk"); "Thuế, phí" alone is a topic.
      'Thuế\\s+(?:tỉnh|thành phố|cơ sở)(?=[\\s,:;]|$)',
      // A centre or office named by what it does, then its field: "Trung tâm xúc tiến Đầu tư, Thương mại …".
      '(?:Trung tâm|Văn phòng)(?:\\s+\\p{Ll}+){1,3}\\s+\\p{Lu}',
      // A division of a department or district ("Phòng Tư pháp", "Phòng 5, Cục Cảnh sát …"); "Phòng, chống" is work.
      'Phòng\\s+(?:\\p{Lu}|\\d)',
      '[Cc]ác\\s+(?:sở|Sở|bộ|Bộ|ban|Ban|cơ quan|đơn vị|địa phương|chủ rừng|doanh nghiệp|tổ chức|hội|Hội|đoàn thể|xã|phường)(?=[\\s,:;]|$)',
    ].join('|') +
    ')',
  'u',
);

// Words that end the agency part of an inline assignment and start its work. Window-bounded (see agencyPart).
const WORK =
  /\s(?:chủ trì|phối hợp|tiến hành|khẩn trương|tập trung|hoàn thành|thực hiện|tổ chức|triển khai|tham mưu|chỉ đạo|xây dựng|rà soát|theo dõi|căn cứ|chịu trách nhiệm|có trách nhiệm|thường xuyên|tiếp tục|chủ động|nghiên cứu|hướng dẫn|kiểm tra|đôn đốc|quán triệt|là|theo chức năng|tăng cường|đẩy mạnh|nâng cao|ban hành|bố trí|phân công|quản lý|lập|báo cáo|xác định|cung cấp|bảo đảm|đảm bảo|giải quyết|khắc phục|kịp thời|đề xuất|kết nối|cập nhật|giám sát|hoàn thiện|gửi)(?=[\s,.;:]|$)/u;
const WINDOW = 240;
const GIVES = /\s(?:giao(?:\s+cho)?|đề nghị|yêu cầu)\s+/u;

/** "Giao Sở X chủ trì …" -> { agencies: "Sở X", rest: "chủ trì …" }; null when the text does not start with an agency. */
export const addressOf = (text: string): { readonly agencies: string; readonly rest: string } | null => {
  const line = collapse(text);
  const prefix = PREFIX.exec(line)![0];
  const body = line.slice(prefix.length);
  if (!AGENCY.test(body)) return null;
  const head = body.slice(0, WINDOW);
  const colon = head.indexOf(':');
  const work = WORK.exec(head);
  const cut = colon !== -1 && (!work || colon < work.index) ? colon : work ? work.index : -1;
  // "Chủ tịch UBND tỉnh giao Sở Nội vụ …": who gives the work is not who does it.
  const given = GIVES.exec(cut === -1 ? head : head.slice(0, cut));
  if (given) return addressOf(body.slice(given.index + given[0].length));
  if (cut === -1) return { agencies: trimEnd(line), rest: '' };
  const role = prefix.replace(/^(?:giao(?:\s+cho)?|đề nghị|yêu cầu)\s+/iu, '');
  return { agencies: trimEnd(`${role}${body.slice(0, cut)}`), rest: body.slice(cut + (cut === colon ? 1 : 0)).trim() };
};

const trimEnd = (text: string): string => text.replace(/^(?:giao(?:\s+cho)?|đề nghị|yêu cầu)\s+/iu, '').replace(/[\s,.;:(]+$/u, '');
