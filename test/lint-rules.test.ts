import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The determinism rule is a lint rule; this proves it bites where it should and only there.
describe('determinism lint rule', () => {
  const eslint = new ESLint();
  const code = 'export const t = Date.now() + Math.random() + new Date().getTime() + performance.now();\nsetTimeout(() => 0, 1);\n';

  it('rejects the wall clock, global randomness and timers in src/core and src/sim', async () => {
    for (const file of ['src/core/x.ts', 'src/sim/x.ts']) {
      const [result] = await eslint.lintText(code, { filePath: file });
      const messages = result!.messages.map((m) => m.message).join('\n');
      expect(messages).toContain('Math.random');
      expect(messages).toContain('Date.now');
      expect(messages).toContain('No wall clock in core/sim');
      expect(messages).toContain("Unexpected use of 'setTimeout'");
    }
  });

  it('allows them elsewhere (the CLI may read the clock)', async () => {
    const [result] = await eslint.lintText(code, { filePath: 'src/cli/x.ts' });
    expect(result!.messages.filter((m) => m.ruleId?.startsWith('no-restricted'))).toEqual([]);
  });
});
