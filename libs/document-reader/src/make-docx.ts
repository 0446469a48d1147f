import { strToU8, zipSync } from 'fflate';

/** For tests: a .docx made of the given body XML (and numbering). */
export const makeDocx = (body: string, numbering?: string): Uint8Array => {
  const ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document ${ns}><w:body>${body}</w:body></w:document>`),
    ...(numbering ? { 'word/numbering.xml': strToU8(`<?xml version="1.0"?><w:numbering ${ns}>${numbering}</w:numbering>`) } : {}),
  });
};
