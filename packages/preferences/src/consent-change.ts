/** One change of a contact's consent state; categoryKey null means "all promotional". */
export type ConsentChange = { categoryKey: string | null; subscribed: boolean };
