/** Nest injection tokens: the validated environments and the clients every part of a process shares. */
export const API_ENV = Symbol('API_ENV');
export const WORKER_ENV = Symbol('WORKER_ENV');
export const PRISMA = Symbol('PRISMA');
export const SIGNING_KEYS = Symbol('SIGNING_KEYS');
export const TEMPLATE_RENDERER = Symbol('TEMPLATE_RENDERER');
export const TEMPLATES = Symbol('TEMPLATES');
