import { useAddressHashKey } from '../../src/address-hash-key.js';

/**
 * A vitest setup file: the key every address hash of the test process is made with, as the API's
 * and the worker's app factories set it from HERALD_ADDRESS_HASH_KEY.
 */
useAddressHashKey('preferences-tests-address-hash-key-0123456789');
