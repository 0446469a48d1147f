import { SaxesParser } from 'saxes';
import { DocumentReadError } from './document';

/**
 * A small element tree of an OOXML part. saxes is a non-validating streaming parser: it never fetches a
 * DTD nor expands external entities; a DOCTYPE (the way in for XXE and "billion laughs") is refused
 * outright, as no Word part has one.
 */
export type XmlElement = { readonly name: string; readonly attrs: Record<string, string>; readonly children: XmlNode[] };
export type XmlNode = XmlElement | string;

export const parseXml = (bytes: Uint8Array, part: string): XmlElement => {
  const text = Buffer.from(bytes).toString('utf8');
  // Checked before parsing too: saxes reports a DOCTYPE only once it has read all of it.
  if (/<!DOCTYPE/i.test(text.slice(0, 4096)) || /<!ENTITY/i.test(text)) {
    throw new DocumentReadError(`The Word file is refused: its part "${part}" declares a DOCTYPE or entities (an XXE attack?).`, 'document.hostile');
  }
  const parser = new SaxesParser({ xmlns: false, position: false });
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  parser.on('doctype', () => {
    throw new DocumentReadError(`The Word file is refused: its part "${part}" declares a DOCTYPE (an XXE attack?).`, 'document.hostile');
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1].children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (value) => {
    // Whitespace between elements only matters inside w:t (xml:space="preserve").
    if (stack[stack.length - 1].name === 'w:t' || stack[stack.length - 1].name === 'w:instrText') stack[stack.length - 1].children.push(value);
  });
  parser.on('cdata', (value) => {
    stack[stack.length - 1].children.push(value);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof DocumentReadError) throw error;
    throw new DocumentReadError(
      `The Word file is damaged: its part "${part}" is not well-formed XML (${(error as Error).message.slice(0, 120)}).`,
      'document.corrupt',
    );
  }
  const top = root.children.find((child): child is XmlElement => typeof child !== 'string');
  if (!top) throw new DocumentReadError(`The Word file is damaged: its part "${part}" is empty.`, 'document.corrupt');
  return top;
};

export const elements = (node: XmlElement, name?: string): XmlElement[] =>
  node.children.filter((child): child is XmlElement => typeof child !== 'string' && (name === undefined || child.name === name));

export const child = (node: XmlElement | undefined, name: string): XmlElement | undefined =>
  node?.children.find((candidate): candidate is XmlElement => typeof candidate !== 'string' && candidate.name === name);

/** w:val of a property element ("<w:ilvl w:val="1"/>"). */
export const val = (node: XmlElement | undefined, name: string): string | undefined => child(node, name)?.attrs['w:val'];

/** A toggle property (w:b, w:vanish): on when present unless w:val says false/0/off. */
export const isOn = (node: XmlElement | undefined, name: string): boolean => {
  const element = child(node, name);
  if (!element) return false;
  const value = element.attrs['w:val'];
  return value === undefined || !['0', 'false', 'off', 'none'].includes(value);
};
