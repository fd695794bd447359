/** Fixed documents for the content-type endpoints. Written for this package; short on purpose. */

export const HTML_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>sess test server</title>
  </head>
  <body>
    <h1>A page of HTML</h1>
    <p>This document exists so that clients can be tested against a text/html response.
    It has a heading, a paragraph and a list.</p>
    <ul>
      <li>one</li>
      <li>two</li>
      <li>three</li>
    </ul>
  </body>
</html>
`;

export const JSON_DOCUMENT = {
  library: {
    name: 'sess testkit',
    shelves: [
      { id: 1, title: 'Protocols', books: ['HTTP/1.1 Semantics', 'HTTP/2'] },
      { id: 2, title: 'State', books: ['Cookies', 'Sessions'] },
    ],
    open: true,
  },
};

export const XML_DOCUMENT = `<?xml version="1.0" encoding="utf-8"?>
<library name="sess testkit">
  <shelf id="1" title="Protocols">
    <book>HTTP/1.1 Semantics</book>
    <book>HTTP/2</book>
  </shelf>
  <shelf id="2" title="State">
    <book>Cookies</book>
    <book>Sessions</book>
  </shelf>
</library>
`;

export const ROBOTS_TXT = `User-agent: *
Disallow: /deny
`;

export const DENY_PAGE = `Robots are not welcome here.
`;

/** Text in many scripts, to check that clients decode UTF-8 (multi-byte and astral characters included). */
export const UTF8_PAGE = `<!doctype html>
<html lang="mul">
  <head><meta charset="utf-8"><title>UTF-8 sample</title></head>
  <body>
    <p>English: The quick brown fox jumps over the lazy dog.</p>
    <p>Deutsch: Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.</p>
    <p>Français: Portez ce vieux whisky au juge blond qui fume.</p>
    <p>Ελληνικά: Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.</p>
    <p>Русский: Съешь же ещё этих мягких французских булок, да выпей чаю.</p>
    <p>日本語: いろはにほへと ちりぬるを</p>
    <p>中文: 敏捷的棕色狐狸跳过了懒狗。</p>
    <p>עברית: דג סקרן שט בים מאוכזב</p>
    <p>Symbols: € ∑ ∞ → ✓ 🚀 𝄞</p>
  </body>
</html>
`;
