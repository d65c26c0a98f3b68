import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/json/problems.js';
import { parseTemplates, templateOf, templateRootFS } from '../../src/real/templates.js';

describe('process templates', () => {
  it('parses YAML with commands, arguments and environment', () => {
    const t = parseTemplates('templates:\n  web:\n    command: node\n    args: [server.js, "--port", "8080"]\n    env: { MODE: prod }\n  batch: { command: ./run.sh }\n');
    expect([...t.keys()]).toEqual(['web', 'batch']);
    expect(t.get('web')).toEqual({ command: 'node', args: ['server.js', '--port', '8080'], env: { MODE: 'prod' }, healthCheck: null });
    expect(t.get('batch')).toEqual({ command: './run.sh', args: [], env: {}, healthCheck: null });
  });

  it('reports every problem with its field path', () => {
    try {
      parseTemplates(JSON.stringify({ templates: { 'bad name': { command: 'x' }, web: { command: '', args: [1], env: { A: 2 }, shell: true } } }));
      expect.fail('no error');
    } catch (e) {
      expect((e as InputError).problems.map((p) => p.path)).toEqual(['templates.bad name', 'templates.web.shell', 'templates.web.command', 'templates.web.args', 'templates.web.env']);
    }
    expect(() => parseTemplates('apps: []')).toThrow(InputError);
    expect(() => parseTemplates('templates: [')).toThrow(/not YAML or JSON/);
  });

  it('a workload names its template by rootfs', () => {
    expect(templateRootFS('web')).toBe('template:web');
    expect(templateOf('template:web')).toBe('web');
    expect(templateOf('docker:///busybox')).toBeNull();
  });
});
