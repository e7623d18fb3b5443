import { describe, expect, it } from 'vitest';
import { decideDelivery, type DeliveryDecisionInput } from '../src/decide-delivery.js';

const flags = [
  'categoryRequired',
  'categorySubscribed',
  'categoryExplicit',
  'promotionalDefaults',
  'testSend',
  'allPromotionalOptOut',
  'complained',
  'addressErased',
  'hardBounced',
  'softBounceLimited',
  'manuallySuppressed',
  'hasAddress',
] as const;

function everyInput(): DeliveryDecisionInput[] {
  const inputs: DeliveryDecisionInput[] = [];
  for (const messageClass of ['transactional', 'promotional'] as const) {
    for (let mask = 0; mask < 1 << flags.length; mask++) {
      const input = { messageClass } as DeliveryDecisionInput;
      flags.forEach((flag, bit) => {
        input[flag] = (mask & (1 << bit)) !== 0;
      });
      inputs.push(input);
    }
  }
  return inputs;
}

// Written from docs/architecture.md's delivery table, row by row, independently of the implementation:
// which conditions block which kind of message.
function blockersFromTable(input: DeliveryDecisionInput): string[] {
  const undeliverable = [
    !input.hasAddress && 'no-address',
    input.hardBounced && 'hard-bounce',
    input.softBounceLimited && 'soft-bounce-limit',
    input.manuallySuppressed && 'manual',
  ];
  if (input.messageClass === 'transactional' && input.categoryRequired) {
    return undeliverable.filter((reason): reason is string => reason !== false);
  }
  if (input.messageClass === 'transactional') {
    return [...undeliverable, !input.categorySubscribed && 'category-opt-out'].filter(
      (reason): reason is string => reason !== false,
    );
  }
  return [
    ...undeliverable,
    input.complained && 'complaint',
    input.addressErased && 'erased-address',
    input.allPromotionalOptOut && 'all-promotional-opt-out',
    // A contact created by a send has given no consent unless it chose the category itself.
    !input.categoryExplicit && !input.promotionalDefaults && !input.testSend && 'no-consent',
    !input.categorySubscribed && 'category-opt-out',
  ].filter((reason): reason is string => reason !== false);
}

describe('decideDelivery', () => {
  const inputs = everyInput();

  it('covers the whole cartesian product', () => {
    expect(inputs).toHaveLength(8192);
    expect(new Set(inputs.map((input) => JSON.stringify(input))).size).toBe(8192);
  });

  // One test over every combination (8,192 separate tests would mostly measure the runner).
  it('decides every combination as the table says', () => {
    for (const input of inputs) {
      const label = JSON.stringify(input);
      const expectedBlockers = blockersFromTable(input);
      const decision = decideDelivery(input);
      if (expectedBlockers.length === 0) {
        expect(decision, label).toEqual({ allowed: true });
      } else {
        expect(decision.allowed, label).toBe(false);
        // When several conditions block, any one of them is a truthful reason.
        expect(expectedBlockers, label).toContain(decision.allowed ? undefined : decision.reason);
      }
    }
  });

  it('takes no consent from a promotional default for a contact created by a send, except for a test send', () => {
    const created: DeliveryDecisionInput = {
      messageClass: 'promotional',
      categoryRequired: false,
      categorySubscribed: true,
      categoryExplicit: false,
      promotionalDefaults: false,
      testSend: false,
      allPromotionalOptOut: false,
      complained: false,
      addressErased: false,
      hardBounced: false,
      softBounceLimited: false,
      manuallySuppressed: false,
      hasAddress: true,
    };
    expect(decideDelivery(created)).toEqual({ allowed: false, reason: 'no-consent' });
    expect(decideDelivery({ ...created, categoryExplicit: true })).toEqual({ allowed: true });
    expect(decideDelivery({ ...created, testSend: true })).toEqual({ allowed: true });
    expect(decideDelivery({ ...created, messageClass: 'transactional' })).toEqual({ allowed: true });
  });

  it('reports the most fundamental reason first', () => {
    const everythingWrong: DeliveryDecisionInput = {
      messageClass: 'promotional',
      categoryRequired: false,
      categorySubscribed: false,
      categoryExplicit: false,
      promotionalDefaults: true,
      testSend: false,
      allPromotionalOptOut: true,
      complained: true,
      addressErased: true,
      hardBounced: true,
      softBounceLimited: true,
      manuallySuppressed: true,
      hasAddress: false,
    };
    expect(decideDelivery(everythingWrong)).toEqual({ allowed: false, reason: 'no-address' });
    expect(decideDelivery({ ...everythingWrong, hasAddress: true })).toEqual({
      allowed: false,
      reason: 'hard-bounce',
    });
  });

  it('never lets an opt-out or complaint block a required transactional message', () => {
    const decision = decideDelivery({
      messageClass: 'transactional',
      categoryRequired: true,
      categorySubscribed: false,
      categoryExplicit: false,
      promotionalDefaults: true,
      testSend: false,
      allPromotionalOptOut: true,
      complained: true,
      addressErased: true,
      hardBounced: false,
      softBounceLimited: false,
      manuallySuppressed: false,
      hasAddress: true,
    });
    expect(decision).toEqual({ allowed: true });
  });

  it('blocks every class, required transactional mail too, on a soft-bounce limit or a manual suppression', () => {
    const clean: DeliveryDecisionInput = {
      messageClass: 'transactional',
      categoryRequired: true,
      categorySubscribed: true,
      categoryExplicit: false,
      promotionalDefaults: true,
      testSend: false,
      allPromotionalOptOut: false,
      complained: false,
      addressErased: false,
      hardBounced: false,
      softBounceLimited: false,
      manuallySuppressed: false,
      hasAddress: true,
    };
    expect(decideDelivery(clean)).toEqual({ allowed: true });
    for (const messageClass of ['transactional', 'promotional'] as const) {
      expect(decideDelivery({ ...clean, messageClass, softBounceLimited: true })).toEqual({
        allowed: false,
        reason: 'soft-bounce-limit',
      });
      expect(decideDelivery({ ...clean, messageClass, manuallySuppressed: true })).toEqual({
        allowed: false,
        reason: 'manual',
      });
    }
  });
});
