import { useAppStore } from '../store';
import { createAuthedApi } from './relay-api';

/** REST calls as the logged-in user of the app's store. */
export const api = createAuthedApi(useAppStore);
