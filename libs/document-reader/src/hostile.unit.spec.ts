import { strToU8, zipSync } from 'fflate';
import { randomBytes } from 'node:crypto';
import { detectFormat } from './detect';
import { DocumentReadError } from './document';
import { makeDocx } from './make-docx';
import { readDocument } from './read-document';

const refusal = async (bytes: Uint8Array, fileName?: string): Promise<DocumentReadError> => {
  try {
    await readDocument(bytes, { fileName });
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentReadError);
    return error as DocumentReadError;
  }
  throw new Error('read without an error');
};

describe('hostile and non-documents', () => {
  it('refuses a zip bomb: a small .docx whose document.xml inflates past the limit, before inflating it', async () => {
    const huge = new Uint8Array(80 * 1024 * 1024); // zeros: deflate ~1000:1
    const bomb = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': huge }, { level: 1 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await refusal(bomb, 'plan.docx');
    expect(error.code).toBe('document.hostile');
    expect(error.message).toMatch(/zip bomb/);
  });

  it('refuses a part that inflates past the size it declares (the directory lies), stopping early', async () => {
    const real = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    // Rewrite the declared size of word/document.xml in the central directory to 1 KB.
    const view = new DataView(real.buffer);
    for (let at = real.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) !== 0x02014b50) continue;
      const name = Buffer.from(real.subarray(at + 46, at + 46 + view.getUint16(at + 28, true))).toString();
      if (name === 'word/document.xml') view.setUint32(at + 24, 1024, true);
    }
    const error = await refusal(real, 'plan.docx');
    expect(error.code).toBe('document.hostile');
    expect(error.message).toMatch(/more than the 1024 bytes it declares/);
  });

  it('refuses an XXE .docx (a DOCTYPE with an external entity) without reading the entity', async () => {
    const xxe = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/document.xml': strToU8(
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>',
      ),
    });
    const error = await refusal(xxe, 'plan.docx');
    expect(error.code).toBe('document.hostile');
    expect(error.message).not.toMatch(/root:/);
  });

  it('refuses a 0-byte file as empty', async () => {
    expect((await refusal(new Uint8Array(0), 'plan.docx')).code).toBe('document.empty');
  });

  it('refuses a renamed .exe ("MZ…") whatever its name says', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), randomBytes(4096)]);
    for (const name of ['plan.docx', 'plan.txt', 'plan.pdf']) {
      const error = await refusal(exe, name);
      expect(error.code).toBe('document.unsupported');
      expect(error.message).toMatch(/Windows program/);
    }
  });

  it('refuses random bytes as not a document', async () => {
    for (let i = 0; i < 20; i++) expect((await refusal(randomBytes(64 * 1024), 'plan.txt')).code).toBe('document.unsupported');
  });

  it('refuses a damaged .docx (cut short) and a zip that is not a Word file, in words', async () => {
    const docx = makeDocx('<w:p><w:r><w:t>Số: 1/KH-UBND</w:t></w:r></w:p>');
    expect((await refusal(docx.subarray(0, docx.length - 30), 'plan.docx')).code).toBe('document.corrupt');
    const xlsx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook/>') });
    expect((await refusal(xlsx, 'plan.docx')).message).toMatch(/Excel/);
  });

  it('recognises PDF, .doc and images by their bytes', async () => {
    expect(detectFormat(Buffer.from('%PDF-1.7\n%âãÏÓ\n'))).toBe('pdf');
    expect(detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toBe('doc');
    expect(detectFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe('image');
    expect(detectFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image');
    expect(detectFormat(Buffer.from('<!DOCTYPE html><html><body>x</body></html>'))).toBe('html');
    expect(detectFormat(Buffer.from('Số: 1/KH-UBND'), 'plan.pdf')).toBe('text');
  });

  it("refuses a file over the caller's limit before reading it", async () => {
    await expect(readDocument(Buffer.alloc(2048, 'a'), { maxBytes: 1024 })).rejects.toMatchObject({ code: 'document.too-large' });
  });
});
