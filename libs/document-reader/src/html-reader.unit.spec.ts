import type { Paragraph, Table } from './document';
import { readDocument } from './read-document';
import { renderForParser } from './render';

const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Kế hoạch</title><style>.x{}</style><script>var a = "Số: 999/KH-UBND";</script></head>
<body>
<header class="site-header"><nav><a href="/">Trang chủ</a> <a href="/vb">Văn bản</a></nav></header>
<div id="login-box">Đăng nhập để xem toàn văn</div>
<div class="wrapper">
  <aside class="sidebar">Văn bản liên quan: Quyết định 1/QĐ-UBND</aside>
  <div class="content1">
    <table><tr><td>ỦY BAN NHÂN DÂN<br>TỈNH NGHỆ AN</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</td></tr>
    <tr><td>Số: 980/KH-UBND</td><td><i>Nghệ An, ngày 18 tháng 11 năm 2025</i></td></tr></table>
    <p align="center"><b>KẾ HOẠCH</b></p>
    <p>Triển khai thi hành Nghị định &amp; các văn bản&nbsp;liên quan</p>
    <ol><li>Sở Tài chính chủ trì</li><li>Sở Nội vụ phối hợp</li></ol>
    <table>
      <tr><th>TT</th><th>Nội dung</th><th>Cơ quan chủ trì</th></tr>
      <tr><td>1</td><td>Tổ chức lại<br>Ban Chỉ huy</td><td rowspan="2">Bộ CHQS tỉnh</td></tr>
      <tr><td>2</td><td>Ban hành quy chế</td></tr>
      <tr><td>II</td><td colspan="2">Nhóm nhiệm vụ khác</td></tr>
    </table>
    <p>Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT.</p>
  </div>
</div>
<footer>© 2025 Cổng thông tin. Chính sách bảo mật</footer>
<form><input name="q"></form>
</body></html>`;

describe('html reader', () => {
  it('reads the document out of the page: site header, navigation, sidebar, login box, notices, scripts and footer left out', async () => {
    const doc = await readDocument(Buffer.from(page), { fileName: 'ke-hoach.html' });
    expect(doc.format).toBe('html');
    const text = renderForParser(doc);
    for (const gone of ['Trang chủ', 'Đăng nhập', 'Văn bản liên quan', 'Bản dịch này', 'Cổng thông tin', '999/KH-UBND', '.x{}'])
      expect(text).not.toContain(gone);
    const paragraphs = doc.blocks.filter((block): block is Paragraph => block.kind === 'paragraph');
    expect(paragraphs.map((paragraph) => [paragraph.numbering, paragraph.text])).toEqual([
      [undefined, 'KẾ HOẠCH'],
      [undefined, 'Triển khai thi hành Nghị định & các văn bản liên quan'],
      ['1.', 'Sở Tài chính chủ trì'],
      ['2.', 'Sở Nội vụ phối hợp'],
    ]);
    expect(paragraphs[0].style).toEqual({ bold: true });
  });

  it('reads tables with their <br> line breaks, colspan and rowspan', async () => {
    const doc = await readDocument(Buffer.from(page));
    const [letterhead, tasks] = doc.blocks.filter((block): block is Table => block.kind === 'table');
    expect(letterhead.rows[0][0].text).toBe('ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN');
    expect(letterhead.rows[1].map((cell) => cell.text)).toEqual(['Số: 980/KH-UBND', 'Nghệ An, ngày 18 tháng 11 năm 2025']);
    expect(tasks.rows).toEqual([
      [{ text: 'TT' }, { text: 'Nội dung' }, { text: 'Cơ quan chủ trì' }],
      [{ text: '1' }, { text: 'Tổ chức lại\nBan Chỉ huy' }, { text: 'Bộ CHQS tỉnh', rowSpan: 2 }],
      [{ text: '2' }, { text: 'Ban hành quy chế' }],
      [{ text: 'II' }, { text: 'Nhóm nhiệm vụ khác', colSpan: 2 }],
    ]);
  });
});
