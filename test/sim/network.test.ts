import { describe, expect, it } from 'vitest';
import type { Reply, Request } from '../../src/core/protocol/messages.js';
import { streamFor } from '../../src/core/random.js';
import { Kernel } from '../../src/sim/kernel/kernel.js';
import { ERR_TIMEOUT, Network, type Endpoint } from '../../src/sim/network.js';
import type { Distribution } from '../../src/sim/distributions.js';

// A cell that answers every request with its state reply, after `serviceMs` of work.
function endpoint(answers: { n: number }, serviceMs = 0): Endpoint & { alive: boolean } {
  return {
    zone: 'z1',
    alive: true,
    latencyFactor: 1,
    handle: (): Reply => {
      answers.n++;
      return { kind: 'release', ok: true };
    },
    serviceMs: () => serviceMs,
  };
}

const req = (cell: string): Request => ({ kind: 'release', cell, auction: { kind: 'task', id: 't', task: {} } }) as unknown as Request;

function net(latency: Distribution, loss = 0, timeoutMs = 10_000) {
  const kernel = new Kernel({ seed: 1 });
  return { kernel, network: new Network(kernel, { latency, loss, timeoutMs }, streamFor(1, 'net')) };
}

describe('Network.send', () => {
  it('delivers, and calls back once with the reply after the way there, the work and the way back', () => {
    const { kernel, network } = net({ kind: 'constant', value: 5 });
    const answers = { n: 0 };
    const got: [number, Reply][] = [];
    network.send(req('c1'), endpoint(answers, 3), (r) => got.push([kernel.now, r]));
    kernel.run(Infinity);
    expect(answers.n).toBe(1);
    expect(got).toEqual([[13, { kind: 'release', ok: true }]]);
    expect(network.lost).toBe(0);
    expect(network.inFlight).toBe(0);
  });

  it('a reply slower than the timeout ends as one lost refusal at the timeout, and the late reply is dropped', () => {
    const { kernel, network } = net({ kind: 'constant', value: 6 }, 0, 10);
    const got: [number, Reply][] = [];
    network.send(req('c1'), endpoint({ n: 0 }), (r) => got.push([kernel.now, r]));
    kernel.run(Infinity);
    expect(got).toEqual([[10, { kind: 'release', ok: false, error: ERR_TIMEOUT, lost: true }]]);
    expect(network.lost).toBe(1);
  });

  it('a dead cell answers nothing: one lost refusal at the timeout', () => {
    const { kernel, network } = net({ kind: 'constant', value: 1 }, 0, 50);
    const answers = { n: 0 };
    const cell = endpoint(answers);
    cell.alive = false;
    const got: Reply[] = [];
    network.send(req('c1'), cell, (r) => got.push(r));
    kernel.run(Infinity);
    expect(answers.n).toBe(0);
    expect(got).toEqual([{ kind: 'release', ok: false, error: ERR_TIMEOUT, lost: true }]);
    expect(network.inFlight).toBe(0);
  });

  it('many exchanges in flight at once, some lost: every sender hears exactly once, in time', () => {
    const { kernel, network } = net({ kind: 'uniform', min: 1, max: 40 }, 0.2, 60);
    const heard = new Map<number, number>();
    const cell = endpoint({ n: 0 });
    // Sent over time, so ids rise while earlier exchanges are still out.
    for (let k = 0; k < 5_000; k++) {
      kernel.at(k / 10, kernel.register(`send-${k}`, () => network.send(req('c1'), cell, () => heard.set(k, (heard.get(k) ?? 0) + 1))));
    }
    kernel.run(Infinity);
    expect(heard.size).toBe(5_000);
    expect([...heard.values()].every((n) => n === 1)).toBe(true);
    expect(network.lost).toBeGreaterThan(0);
    expect(network.messages).toBe(5_000);
    expect(network.inFlight).toBe(0);
  });
});
