import type { ChangePasswordRequest } from '@promptlog/contracts';
import { api } from '../../lib/api-client';

/** Ends every other session of the user; this one stays. */
export const changePassword = (body: ChangePasswordRequest) => api.post<void>('/api/auth/password', body);

/** Ends every session of the user, this one included. */
export const logoutEverywhere = () => api.post<void>('/api/auth/logout-everywhere');
