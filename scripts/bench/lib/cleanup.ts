/**
 * Everything the benchmark starts (servers, temp directories) registers its teardown here, so a failure or
 * Ctrl-C at any step still stops every process it started and removes every directory it made.
 */
export class Cleanup {
  private readonly tasks = new Map<number, { label: string; run: () => Promise<unknown> }>();
  private next = 0;

  /** Registers a teardown; the returned function runs it now (once) and unregisters it. */
  add(label: string, run: () => Promise<unknown>): () => Promise<void> {
    const id = this.next++;
    this.tasks.set(id, { label, run });
    return async () => {
      const task = this.tasks.get(id);
      if (!task) return;
      this.tasks.delete(id);
      await task.run();
    };
  }

  /** Runs the remaining teardowns, newest first; one failing does not stop the rest. */
  async runAll(): Promise<void> {
    for (const id of [...this.tasks.keys()].reverse()) {
      const task = this.tasks.get(id);
      if (!task) continue;
      this.tasks.delete(id);
      try {
        await task.run();
      } catch (error) {
        console.error(
          `• cleanup of ${task.label} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
