/** The smallest real files of each asset type, built from their signatures (no binary fixtures in git). */

/** A 1×1 PNG. */
export const PNG = (): Buffer =>
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** JPEG's SOI and JFIF APP0 header, which is what sniffers read. */
export const JPEG = (): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]), Buffer.alloc(64), Buffer.from([0xff, 0xd9])]);

export const PDF = (): Buffer => Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export const SVG = (): Buffer =>
  Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<!-- acme -->\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#c00"/></svg>\n');

export const CSS = (): Buffer => Buffer.from(':root { --color-primary: #c00; }\n/* acme */\nbody { font-family: "Acme Sans", sans-serif; }\n');
