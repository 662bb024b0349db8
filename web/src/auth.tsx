import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler } from './api/client';
import type { Me } from './api/types';

interface Auth {
  /** undefined while the first `/api/me` is in flight; null when signed out. */
  me: Me | null | undefined;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | undefined>(undefined);

/** The session lives in the API's HttpOnly cookie; the UI only asks `/api/me` who that is. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    api<Me>('/api/me').then(setMe, () => setMe(null));
    return () => setUnauthorizedHandler(undefined);
  }, []);
  const login = useCallback(async (username: string, password: string) => {
    await api('/api/auth/login', { body: { username, password } });
    setMe(await api<Me>('/api/me'));
  }, []);
  const logout = useCallback(async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    setMe(null);
  }, []);
  const value = useMemo(() => ({ me, login, logout }), [me, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
