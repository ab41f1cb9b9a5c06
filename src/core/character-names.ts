// Names for the characters that slip into pasted names: Cyrillic and Greek letters that look Latin, typographic
// dashes and quotes, invisible spaces. A message that says "contains 'а'" cannot be acted on when 'а' looks like 'a';
// the code point and its name can. Node has no Unicode name table, so this is a small one for the usual suspects,
// plus Latin letters with one accent (named from their decomposition). Others get the code point alone.

const NAMES: Readonly<Record<number, string>> = {
  // Cyrillic letters that look Latin.
  0x0430: 'CYRILLIC SMALL LETTER A',
  0x0435: 'CYRILLIC SMALL LETTER IE',
  0x043e: 'CYRILLIC SMALL LETTER O',
  0x0440: 'CYRILLIC SMALL LETTER ER',
  0x0441: 'CYRILLIC SMALL LETTER ES',
  0x0443: 'CYRILLIC SMALL LETTER U',
  0x0445: 'CYRILLIC SMALL LETTER HA',
  0x0455: 'CYRILLIC SMALL LETTER DZE',
  0x0456: 'CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I',
  0x0458: 'CYRILLIC SMALL LETTER JE',
  0x0501: 'CYRILLIC SMALL LETTER KOMI DE',
  0x051b: 'CYRILLIC SMALL LETTER QA',
  0x051d: 'CYRILLIC SMALL LETTER WE',
  0x0410: 'CYRILLIC CAPITAL LETTER A',
  0x0412: 'CYRILLIC CAPITAL LETTER VE',
  0x0415: 'CYRILLIC CAPITAL LETTER IE',
  0x041a: 'CYRILLIC CAPITAL LETTER KA',
  0x041c: 'CYRILLIC CAPITAL LETTER EM',
  0x041d: 'CYRILLIC CAPITAL LETTER EN',
  0x041e: 'CYRILLIC CAPITAL LETTER O',
  0x0420: 'CYRILLIC CAPITAL LETTER ER',
  0x0421: 'CYRILLIC CAPITAL LETTER ES',
  0x0422: 'CYRILLIC CAPITAL LETTER TE',
  0x0425: 'CYRILLIC CAPITAL LETTER HA',
  0x0406: 'CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I',
  0x0408: 'CYRILLIC CAPITAL LETTER JE',
  0x0405: 'CYRILLIC CAPITAL LETTER DZE',
  // Greek letters that look Latin.
  0x03b1: 'GREEK SMALL LETTER ALPHA',
  0x03b9: 'GREEK SMALL LETTER IOTA',
  0x03bd: 'GREEK SMALL LETTER NU',
  0x03bf: 'GREEK SMALL LETTER OMICRON',
  0x03c1: 'GREEK SMALL LETTER RHO',
  0x03c5: 'GREEK SMALL LETTER UPSILON',
  0x0391: 'GREEK CAPITAL LETTER ALPHA',
  0x0392: 'GREEK CAPITAL LETTER BETA',
  0x0395: 'GREEK CAPITAL LETTER EPSILON',
  0x0396: 'GREEK CAPITAL LETTER ZETA',
  0x0397: 'GREEK CAPITAL LETTER ETA',
  0x0399: 'GREEK CAPITAL LETTER IOTA',
  0x039a: 'GREEK CAPITAL LETTER KAPPA',
  0x039c: 'GREEK CAPITAL LETTER MU',
  0x039d: 'GREEK CAPITAL LETTER NU',
  0x039f: 'GREEK CAPITAL LETTER OMICRON',
  0x03a1: 'GREEK CAPITAL LETTER RHO',
  0x03a4: 'GREEK CAPITAL LETTER TAU',
  0x03a5: 'GREEK CAPITAL LETTER UPSILON',
  0x03a7: 'GREEK CAPITAL LETTER CHI',
  // Latin letters without a decomposition.
  0x0131: 'LATIN SMALL LETTER DOTLESS I',
  0x017f: 'LATIN SMALL LETTER LONG S',
  0x00f8: 'LATIN SMALL LETTER O WITH STROKE',
  0x00d8: 'LATIN CAPITAL LETTER O WITH STROKE',
  0x00df: 'LATIN SMALL LETTER SHARP S',
  0x0142: 'LATIN SMALL LETTER L WITH STROKE',
  0x0141: 'LATIN CAPITAL LETTER L WITH STROKE',
  0x00e6: 'LATIN SMALL LETTER AE',
  // Punctuation that word processors substitute.
  0x2010: 'HYPHEN',
  0x2011: 'NON-BREAKING HYPHEN',
  0x2012: 'FIGURE DASH',
  0x2013: 'EN DASH',
  0x2014: 'EM DASH',
  0x2212: 'MINUS SIGN',
  0x2018: 'LEFT SINGLE QUOTATION MARK',
  0x2019: 'RIGHT SINGLE QUOTATION MARK',
  0x201c: 'LEFT DOUBLE QUOTATION MARK',
  0x201d: 'RIGHT DOUBLE QUOTATION MARK',
  0x2024: 'ONE DOT LEADER',
  0x2044: 'FRACTION SLASH',
  0x2215: 'DIVISION SLASH',
  0x02bc: 'MODIFIER LETTER APOSTROPHE',
  0x00b7: 'MIDDLE DOT',
  0xff20: 'FULLWIDTH COMMERCIAL AT',
  0xff0e: 'FULLWIDTH FULL STOP',
  0xff0f: 'FULLWIDTH SOLIDUS',
  0xff3f: 'FULLWIDTH LOW LINE',
  0xff0d: 'FULLWIDTH HYPHEN-MINUS',
  // Spaces and invisible characters.
  0x00a0: 'NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x2060: 'WORD JOINER',
  0x3000: 'IDEOGRAPHIC SPACE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xfffd: 'REPLACEMENT CHARACTER',
}

// The accents of precomposed Latin letters; the letter's name is '<base> WITH <accent>'.
const ACCENTS: Readonly<Record<number, string>> = {
  0x0300: 'GRAVE',
  0x0301: 'ACUTE',
  0x0302: 'CIRCUMFLEX',
  0x0303: 'TILDE',
  0x0304: 'MACRON',
  0x0306: 'BREVE',
  0x0307: 'DOT ABOVE',
  0x0308: 'DIAERESIS',
  0x030a: 'RING ABOVE',
  0x030b: 'DOUBLE ACUTE',
  0x030c: 'CARON',
  0x0323: 'DOT BELOW',
  0x0327: 'CEDILLA',
  0x0328: 'OGONEK',
}

/** 'U+0430 CYRILLIC SMALL LETTER A', or 'U+XXXX' when the name is not in the table. */
export function describeCodePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  const name = characterName(char)
  return name === undefined ? hex : `${hex} ${name}`
}

/** The Unicode name of a character in the table ('CYRILLIC SMALL LETTER A'), or undefined. */
export function characterName(char: string): string | undefined {
  const code = char.codePointAt(0) ?? 0
  const known = NAMES[code]
  if (known !== undefined) return known
  if (code >= 0xff21 && code <= 0xff3a) return `FULLWIDTH LATIN CAPITAL LETTER ${String.fromCharCode(code - 0xfee0)}`
  if (code >= 0xff41 && code <= 0xff5a) {
    return `FULLWIDTH LATIN SMALL LETTER ${String.fromCharCode(code - 0xfee0).toUpperCase()}`
  }
  if (code >= 0xff10 && code <= 0xff19) return `FULLWIDTH DIGIT ${DIGITS[code - 0xff10] ?? ''}`
  // 'é' decomposes to 'e' + U+0301: LATIN SMALL LETTER E WITH ACUTE.
  // (Only for the composed letter itself: U+212B ANGSTROM SIGN decomposes the same way as U+00C5.)
  if (char.normalize('NFC') !== char) return undefined
  const [base, accent, ...more] = Array.from(char.normalize('NFD'))
  if (base === undefined || accent === undefined || more.length > 0 || !/^[A-Za-z]$/.test(base)) return undefined
  const accentName = ACCENTS[accent.codePointAt(0) ?? 0]
  if (accentName === undefined) return undefined
  const letterCase = base === base.toUpperCase() ? 'CAPITAL' : 'SMALL'
  return `LATIN ${letterCase} LETTER ${base.toUpperCase()} WITH ${accentName}`
}

const DIGITS = ['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE'] as const
