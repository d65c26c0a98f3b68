import { afterAll, describe, expect, it } from 'vitest';
import { HttpError, isLoopback, listen, parseListen, readJSON, serve } from '../../src/real/http.js';

describe('listen addresses', () => {
  it('host:port, loopback by default; a bad one is a precise error', () => {
    expect(parseListen('127.0.0.1:1801', '--listen')).toEqual({ host: '127.0.0.1', port: 1801 });
    expect(parseListen('1801', '--listen')).toEqual({ host: '127.0.0.1', port: 1801 });
    expect(parseListen('[::1]:80', '--listen')).toEqual({ host: '::1', port: 80 });
    expect(() => parseListen('localhost:99999', '--listen')).toThrow('--listen: expected host:port (e.g. 127.0.0.1:1801), got "localhost:99999"');
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('0.0.0.0')).toBe(true);
  });

  it('loopback means a loopback address, in any spelling; never a name', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '::ffff:10.0.0.1', '::ffff:a00:1', '10.0.0.1', 'localhost', '127.attacker.example', '127.0.0.1.nip.io', '']) expect(isLoopback(h), h).toBe(false);
  });
});

describe('serve', () => {
  const token = 'a-token-of-sixteen-chars';
  const server = serve(
    [
      { method: 'POST', path: '/echo/:name', handler: async (req, [name]) => ({ status: 200, body: { name, got: await readJSON(req, 64) } }) },
      { method: 'GET', path: '/boom', handler: () => { throw new Error('bug'); } },
      { method: 'GET', path: '/teapot', handler: () => { throw new HttpError(418, 'short and stout'); } },
    ],
    { token, onError: () => undefined },
  );
  let base = '';
  const call = async (path: string, init: RequestInit = {}, auth = true) => {
    const res = await fetch(`${base}${path}`, { ...init, headers: auth ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as { error?: string; name?: string; got?: unknown } };
  };
  afterAll(() => server.close());

  it('routes with parameters, and answers every failure with a status and a message', async () => {
    base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
    expect(await call('/echo/a%20b', { method: 'POST', body: '{"x":1}' })).toEqual({ status: 200, body: { name: 'a b', got: { x: 1 } } });
    expect((await call('/echo/a', { method: 'POST', body: '{"x":' })).status).toBe(400);
    expect((await call('/echo/a', { method: 'POST', body: '' })).body.error).toBe('expected a JSON body, got an empty one');
    expect((await call('/echo/a', { method: 'POST', body: JSON.stringify({ x: 'y'.repeat(100) }) })).status).toBe(413);
    expect((await call('/echo/a')).status).toBe(405);
    expect((await call('/nothing')).status).toBe(404);
    // A parameter that is not valid percent-encoding is a 400 naming the route, not "no route".
    const bad = await call('/echo/%E9', { method: 'POST', body: '{}' });
    expect(bad).toEqual({ status: 400, body: { error: 'path /echo/%E9: a parameter is not valid percent-encoding (route /echo/:name)' } });
    expect(await call('/teapot')).toEqual({ status: 418, body: { error: 'short and stout' } });
    expect(await call('/boom')).toEqual({ status: 500, body: { error: 'internal error' } });
    expect((await call('/teapot', {}, false)).status).toBe(401);
    // Still serving after all that.
    expect((await call('/echo/z', { method: 'POST', body: '1' })).status).toBe(200);
  });
});
