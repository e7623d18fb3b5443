/**
 * What a template needs from its data, derived from its Handlebars AST at compile time and
 * checked against the data before each render, so a missing value is reported by its path
 * instead of rendering as a blank.
 */
export interface VariableRef {
  /** How many context-changing blocks (each, with) to climb, as Handlebars' `../`. */
  depth: number;
  parts: string[];
  /** `@root.x`: resolved from the top-level data whatever the depth. */
  fromRoot: boolean;
  /** Set when the first part names a block parameter (`{{#each xs as |x|}}`). */
  blockParam: boolean;
}

/** #each and #with: the body runs against a new context (each item, or the object). */
export interface ScopeRequirement {
  kind: 'each' | 'with';
  ref: VariableRef;
  params: string[];
  body: Requirement[];
  otherwise: Requirement[];
}

export type Requirement =
  | { kind: 'value'; ref: VariableRef }
  | { kind: 'if'; ref: VariableRef; negate: boolean; then: Requirement[]; otherwise: Requirement[] }
  | ScopeRequirement;
