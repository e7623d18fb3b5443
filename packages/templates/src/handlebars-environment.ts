import Handlebars from 'handlebars';

/** An isolated Handlebars: nothing another package registers globally can reach templates. */
export const handlebars = Handlebars.create();

/** The only helpers a template may use; anything else is refused on save. */
export const BUILT_IN_BLOCKS = ['if', 'unless', 'each', 'with'] as const;

export type BuiltInBlock = (typeof BUILT_IN_BLOCKS)[number];
