/**
 * The data of the pharmacy integration test (its oracle: pharmacy-oracle.ts). The scenario runs in
 * phases; phase k's event times lie in [P_k, P_k + 4 min) with P_k = B + 3k hours, so:
 * - nothing inside a phase is ever late (every window of a phase stays open for size + 5 min of grace), and
 * - a change in phase k that touches an earlier phase's windows is always late (they closed hours ago),
 * whatever order the topics interleave in.
 */
import { seededRandom } from '../../../../src/cli/load-generator.ts';
import { MEDICATIONS, randomOrder } from '../../../../processors/healthcare/orders/loadgen.ts';
import { MIN, PharmacyOracle, phaseStart, type Rec, type Status } from './pharmacy-oracle.ts';

export type { Rec } from './pharmacy-oracle.ts';

/** The events of each phase, generated from a fixed seed and applied to the oracle as they are made. */
export class Scenario extends PharmacyOracle {
  readonly rand = seededRandom(20260301);

  adjustments(phase: number): Rec[] {
    const out: Rec[] = [];
    for (const t of this.tenants) {
      for (const [mi, med] of MEDICATIONS.entries()) {
        const id = `inv-${phase}-${t}-${mi}`;
        if (phase === 0) this.inventoryEvent(out, t, id, med, { set: 180, threshold: 60 }, phaseStart(phase));
        else
          this.inventoryEvent(
            out,
            t,
            id,
            med,
            { delta: 120 + Math.floor(this.rand() * 60) },
            phaseStart(phase),
          );
      }
    }
    return out;
  }

  /** Status changes for orders that will be created in this phase's order part: they wait in the buffer. */
  early(phase: number, perTenant: number): Rec[] {
    const out: Rec[] = [];
    for (const t of this.tenants) {
      for (let i = 0; i < perTenant; i++) {
        const orderId = `o-${phase}-${t}-${i * 7}`;
        this.statusEvent(
          out,
          phase,
          t,
          orderId,
          `es-${phase}-${t}-${i}`,
          'pending',
          'paid',
          phaseStart(phase) + 3 * MIN + 5_000 + i,
        );
      }
    }
    return out;
  }

  orderPart(phase: number, creates: number, earlyPerTenant: number): Rec[] {
    const out: Rec[] = [];
    const P = phaseStart(phase);
    for (const t of this.tenants) {
      const mine: string[] = [];
      let last: Rec | undefined;
      for (let i = 0; i < creates; i++) {
        const at = P + Math.floor((i * 170_000) / creates);
        const orderId = `o-${phase}-${t}-${i}`;
        const early = i % 7 === 0 && i / 7 < earlyPerTenant;
        const body = {
          ...randomOrder(this.rand, at),
          status: (this.rand() < 0.2 && !early ? 'paid' : 'pending') as Status,
        };
        this.orderEvent(
          out,
          phase,
          t,
          { id: `c-${orderId}`, type: 'order.created', orderId, at, body },
          early,
        );
        if (!early) mine.push(orderId);
        const r = this.rand();
        const target = mine[Math.floor(this.rand() * mine.length)];
        const o = target === undefined ? undefined : this.orders.get(`${t}|${target}`);
        if (o && !o.deleted && o.body && r < 0.2) {
          const body2 = {
            ...randomOrder(this.rand, o.body.createdAtMs),
            status: (this.rand() < 0.5 ? 'paid' : o.body.status) as Status,
          };
          this.orderEvent(out, phase, t, {
            id: `u-${phase}-${t}-${i}`,
            type: 'order.updated',
            orderId: target!,
            at: at + 1,
            body: body2,
          });
        } else if (o && !o.deleted && r < 0.28) {
          this.orderEvent(out, phase, t, {
            id: `d-${phase}-${t}-${i}`,
            type: 'order.deleted',
            orderId: target!,
            at: at + 1,
          });
        }
        last = out[out.length - 1];
        if (last && this.rand() < 0.03) {
          out.push({ ...last });
          this.firstSeen(JSON.parse(last.value).eventId as string, t);
        }
      }
      if (phase === 0) continue;
      // Late: creates in the previous phase's windows, and updates/deletes of the previous phase's orders.
      const LP = phaseStart(phase - 1);
      for (let j = 0; j < 3; j++) {
        const orderId = `late-${phase}-${t}-${j}`;
        this.orderEvent(out, phase, t, {
          id: `lc-${orderId}`,
          type: 'order.created',
          orderId,
          at: P + 210_000 + j,
          body: randomOrder(this.rand, LP + 10 * MIN + j),
        });
      }
      const prev = [...this.orders.values()].filter(
        (o) => o.tenant === t && o.phase === phase - 1 && !o.deleted && o.body,
      );
      for (let j = 0; j < 5 && prev.length > 0; j++) {
        const o = prev[Math.floor(this.rand() * prev.length)]!;
        if (o.deleted || !o.body) continue;
        const at = P + 215_000 + j;
        if (j % 2 === 0)
          this.orderEvent(out, phase, t, {
            id: `lu-${phase}-${t}-${j}`,
            type: 'order.updated',
            orderId: o.orderId,
            at,
            body: { ...randomOrder(this.rand, o.body.createdAtMs), status: o.body.status },
          });
        else
          this.orderEvent(out, phase, t, {
            id: `ld-${phase}-${t}-${j}`,
            type: 'order.deleted',
            orderId: o.orderId,
            at,
          });
      }
    }
    return out;
  }

  statusPart(phase: number): Rec[] {
    const out: Rec[] = [];
    const P = phaseStart(phase);
    for (const t of this.tenants) {
      let at = P + 3 * MIN + 10_000;
      const mine = [...this.orders.values()].filter(
        (o) => o.tenant === t && !o.deleted && !o.early && (o.phase === phase || this.rand() < 0.01),
      );
      let n = 0;
      for (const o of mine) {
        const r = this.rand();
        at += 1;
        const id = `s-${phase}-${t}-${n++}`;
        if (r < 0.03) {
          const wrong: Status = o.status === 'credit' ? 'pending' : 'credit';
          this.statusEvent(out, phase, t, o.orderId, id, wrong, 'paid', at);
        } else if (r < 0.6) {
          const next: Status = o.status === 'pending' ? 'paid' : o.status === 'paid' ? 'credit' : 'paid';
          this.statusEvent(out, phase, t, o.orderId, id, o.status, next, at);
          if (this.rand() < 0.15) {
            at += 1;
            const next2: Status = next === 'paid' ? 'credit' : 'pending';
            this.statusEvent(out, phase, t, o.orderId, `${id}b`, next, next2, at);
          }
        } else continue;
        const last = out[out.length - 1]!;
        if (this.rand() < 0.02) {
          out.push({ ...last });
          this.firstSeen(JSON.parse(last.value).eventId as string, t);
        }
      }
    }
    return out;
  }

  deliveries(phase: number, n: number): Rec[] {
    const out: Rec[] = [];
    const P = phaseStart(phase);
    const ids = [...this.orders.values()].filter((o) => o.phase === phase).map((o) => o.orderId);
    for (let i = 0; i < n; i++) {
      const boy = `boy-${Math.floor(this.rand() * 40)}`;
      const id = this.rand() < 0.02 && i > 0 ? `dl-${phase}-${i - 1}` : `dl-${phase}-${i}`;
      if (id !== `dl-${phase}-${i}`) {
        const prev = out[out.length - 1]!;
        out.push({ ...prev });
        continue;
      }
      this.deliveryEvent(
        out,
        id,
        boy,
        ids[Math.floor(this.rand() * ids.length)]!,
        24 + this.rand(),
        P + i * 50,
      );
    }
    return out;
  }
}
