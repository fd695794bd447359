import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The wrong inputs refused at run time are type errors as well, and the
 * compiler's message names the option: compiled here with the project's
 * own settings (strict), each line marked `// expect-error: <name>`.
 */
const file = fileURLToPath(new URL('./fixtures/wrong-inputs.ts', import.meta.url));
const configPath = fileURLToPath(new URL('../tsconfig.test.json', import.meta.url));

function diagnostics(): Map<number, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  );
  if (!config) throw new Error('tsconfig.test.json did not parse');
  const program = ts.createProgram([file], { ...config.options, noEmit: true });
  const byLine = new Map<number, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.file?.fileName !== file.replaceAll('\\', '/') && d.file?.fileName !== file) continue;
    const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
    // What the compiler says, and where it says it: the option names on the path to the error
    // (`params` > `a` for `{ params: { a: {...} } }`), since it reports at the innermost value.
    const path = propertyPath(d.file, d.start ?? 0).join(' > ');
    const text = `${path}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    byLine.set(line, [...(byLine.get(line) ?? []), text]);
  }
  return byLine;
}

/** Names of the property assignments (and the called method) enclosing `pos`, outermost first. */
function propertyPath(source: ts.SourceFile, pos: number): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (pos < node.getStart(source) || pos >= node.getEnd()) return;
    if (ts.isPropertyAssignment(node) || ts.isPropertySignature(node)) names.push(node.name.getText(source));
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) names.push(node.expression.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

describe('wrong inputs are type errors that name the option', () => {
  const found = diagnostics();
  const lines = readFileSync(file, 'utf8').split('\n');
  const expected = lines
    .map((text, i) => ({ line: i + 1, name: /\/\/ expect-error: (\S+)/.exec(text)?.[1] }))
    .filter((e): e is { line: number; name: string } => e.name !== undefined);

  it('marks a dozen cases', () => {
    expect(expected.length).toBeGreaterThanOrEqual(12);
  });

  it.each(expected)('line $line: a type error naming $name', ({ line, name }) => {
    const messages = found.get(line) ?? [];
    expect(messages.length, `no type error on line ${line}`).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain(name);
  });

  it('no other line has an error', () => {
    const marked = new Set(expected.map((e) => e.line));
    expect([...found.keys()].filter((l) => !marked.has(l))).toEqual([]);
  });
});
