import { createContext, useContext } from 'react';

/**
 * The nonce of this response's Content-Security-Policy (server.js makes one per response), for the
 * inline scripts Remix renders. Only the server render has it: in the browser the scripts have
 * already run, and browsers hide a nonce from the page anyway.
 */
export const CspNonceContext = createContext<string | undefined>(undefined);

export const useCspNonce = () => useContext(CspNonceContext);
