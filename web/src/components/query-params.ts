import { useSearchParams } from 'react-router';

/** A page's state in the URL: `update` sets the given parameters and drops those given as empty. */
export function useQueryParams(): {
  params: URLSearchParams;
  update: (changes: Record<string, string | undefined>) => void;
} {
  const [params, setParams] = useSearchParams();
  function update(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  }
  return { params, update };
}
