// A YAML language server (yaml-language-server, the one VS Code's YAML extension runs) driven over
// stdio, as an editor drives it: open a document, read the diagnostics it publishes, ask for
// completions. For tests of what users see in their editor.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** A diagnostic as the server publishes it: line and column (from 0) and the message. */
export interface Diagnostic {
  line: number;
  character: number;
  message: string;
}

interface Message {
  id?: number;
  method?: string;
  params?: { diagnostics?: { range: { start: { line: number; character: number } }; message: string }[]; items?: unknown[] };
  result?: unknown;
}

/** A running language server; `close()` it after use. */
export class YamlLanguageServer {
  private readonly server: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private readonly diagnostics = new Map<string, (d: Diagnostic[]) => void>();

  /** Starts the server. */
  constructor() {
    const bin = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
    this.server = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.server.stdout.on('data', (d: Buffer) => this.receive(d));
  }

  /** Initializes the session (validation on, no schema store: only the file's own `$schema` line). */
  async start(): Promise<void> {
    await this.request('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } } } } });
    this.send({ method: 'initialized', params: {} });
    this.send({ method: 'workspace/didChangeConfiguration', params: { settings: { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false } } } } });
  }

  /** Opens `text` as the file at `path` and resolves with the first diagnostics published for it (none within `ms`: []). */
  open(path: string, text: string, ms = 15_000): Promise<Diagnostic[]> {
    const uri = pathToFileURL(path).href;
    const published = new Promise<Diagnostic[]>((resolve) => {
      const timer = setTimeout(() => resolve([]), ms);
      this.diagnostics.set(uri, (d) => {
        clearTimeout(timer);
        resolve(d);
      });
    });
    this.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text } } });
    return published;
  }

  /** The labels the server completes at a position of an open file. */
  async complete(path: string, line: number, character: number): Promise<string[]> {
    const result = (await this.request('textDocument/completion', { textDocument: { uri: pathToFileURL(path).href }, position: { line, character } })) as { items?: { label: string }[] } | { label: string }[] | null;
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    return items.map((i) => i.label);
  }

  /** Stops the server. */
  close(): void {
    this.server.kill();
  }

  private send(msg: object): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
    this.server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, head).toString())?.[1] ?? 0);
      if (this.buffer.length < head + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(head + 4, head + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(head + 4 + length);
      this.handle(msg);
    }
  }

  private handle(msg: Message): void {
    if (msg.id !== undefined && msg.method === undefined) {
      this.waiting.get(msg.id)?.(msg.result);
      this.waiting.delete(msg.id);
    } else if (msg.method === 'textDocument/publishDiagnostics') {
      const p = msg.params as { uri: string; diagnostics: { range: { start: { line: number; character: number } }; message: string }[] };
      this.diagnostics.get(p.uri)?.(p.diagnostics.map((d) => ({ line: d.range.start.line, character: d.range.start.character, message: d.message })));
    } else if (msg.id !== undefined) {
      // A request from the server (its configuration, say): the settings above, or nothing.
      const items = (msg.params as { items?: unknown[] } | undefined)?.items;
      this.send({ id: msg.id, result: msg.method === 'workspace/configuration' ? (items ?? []).map(() => null) : null });
    }
  }
}
