import type { Requirement, ScopeRequirement, VariableRef } from './requirement.js';
import { TemplateDataError } from './template-data-error.js';

interface Frame {
  value: unknown;
  /** The data path of this context as a reader would write it, e.g. `articles[2]`. */
  label: string;
  params: Map<string, { value: unknown; label: string }>;
}

interface Resolved {
  value: unknown;
  label: string;
}

function child(label: string, part: string): string {
  return label === '' ? part : `${label}.${part}`;
}

function property(value: unknown, part: string): unknown {
  if (value === null || value === undefined) return undefined;
  const target: object = Object(value);
  return Object.hasOwn(target, part) ? (target as Record<string, unknown>)[part] : undefined;
}

function resolve(ref: VariableRef, frames: Frame[]): Resolved {
  let start: Resolved | undefined;
  let parts = ref.parts;
  if (ref.fromRoot) {
    start = frames[0];
  } else if (ref.blockParam) {
    const [head = '', ...rest] = ref.parts;
    for (let i = frames.length - 1; i >= 0 && start === undefined; i -= 1)
      start = frames[i]?.params.get(head);
    parts = rest;
  } else {
    start = frames[frames.length - 1 - ref.depth];
  }
  let { value, label } = start ?? { value: undefined, label: '' };
  for (const part of parts) {
    value = property(value, part);
    label = child(label, part);
  }
  return { value, label: label === '' ? 'this' : label };
}

/** Handlebars' own notion of falsy for #if, #unless and #with. */
function isEmpty(value: unknown): boolean {
  return !value || (Array.isArray(value) && value.length === 0);
}

function requirePrintable({ value, label }: Resolved): void {
  if (value === undefined || value === null) throw new TemplateDataError(label, 'is missing');
  if (typeof value === 'object' || typeof value === 'function') {
    throw new TemplateDataError(label, 'must be text or a number, not a list or an object');
  }
}

function enter(requirement: ScopeRequirement, item: Resolved, index: string): Frame {
  const [itemParam, indexParam] = requirement.params;
  const params = new Map<string, Resolved>();
  if (itemParam !== undefined) params.set(itemParam, item);
  if (indexParam !== undefined) params.set(indexParam, { value: index, label: index });
  return { ...item, params };
}

function check(requirements: readonly Requirement[], frames: Frame[]): void {
  for (const requirement of requirements) {
    const resolved = resolve(requirement.ref, frames);
    switch (requirement.kind) {
      case 'value':
        requirePrintable(resolved);
        break;
      case 'if':
        check(
          isEmpty(resolved.value) === requirement.negate ? requirement.then : requirement.otherwise,
          frames,
        );
        break;
      case 'with':
        if (isEmpty(resolved.value)) check(requirement.otherwise, frames);
        else check(requirement.body, [...frames, enter(requirement, resolved, '')]);
        break;
      case 'each':
        checkEach(requirement, resolved, frames);
        break;
    }
  }
}

function checkEach(requirement: ScopeRequirement, list: Resolved, frames: Frame[]): void {
  if ((list.value === undefined || list.value === null) && requirement.otherwise.length === 0) {
    throw new TemplateDataError(list.label, 'is missing (expected a list)');
  }
  if (list.value !== undefined && list.value !== null && typeof list.value !== 'object') {
    throw new TemplateDataError(list.label, 'must be a list');
  }
  const entries: [string, unknown][] = Array.isArray(list.value)
    ? list.value.map((item, index) => [String(index), item])
    : Object.entries(list.value ?? {});
  if (entries.length === 0) check(requirement.otherwise, frames);
  for (const [key, value] of entries) {
    const label = Array.isArray(list.value) ? `${list.label}[${key}]` : child(list.label, key);
    check(requirement.body, [...frames, enter(requirement, { value, label }, key)]);
  }
}

/** Throws TemplateDataError naming the first value the template would print blank. */
export function checkRequirements(requirements: readonly Requirement[], data: Record<string, unknown>): void {
  check(requirements, [{ value: data, label: '', params: new Map() }]);
}
