/**
 * Who hears about a write that may change what a signed-in user is: its role, scope or disabled flag
 * (`UserRepository.update`) or the refs of its scope node (`JurisdictionTree.move`). The API drops its
 * in-memory principals here; the registry does not know who listens.
 */

/** Called after such a write succeeded; the write's promise waits for it (a failure rejects the write). */
export type UserChangeListener = () => Promise<void> | void;

export class UserChanges {
  private readonly listeners = new Set<UserChangeListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: UserChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async notify(): Promise<void> {
    await Promise.all([...this.listeners].map(async (listener) => listener()));
  }
}
