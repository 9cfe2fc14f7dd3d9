export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Opens a server-sent event stream, calls `onOpen` once it is open, and resolves true at the first event that
 * satisfies `match` (false if the stream ends or the time runs out).
 */
export async function waitForServerSentEvent(
  url: string,
  headers: Record<string, string>,
  match: (event: ServerSentEvent) => boolean,
  timeoutMs: number,
  onOpen: () => Promise<void> = async () => undefined,
): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { headers, signal: controller.signal });
    const reader = response.body?.getReader();
    if (!response.ok || !reader) return false;
    await onOpen();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return false;
      buffered += decoder.decode(chunk.value, { stream: true });
      const blocks = buffered.split('\n\n');
      buffered = blocks.pop() ?? '';
      for (const block of blocks) {
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        const event = field('event');
        if (event !== undefined && match({ event, data: field('data') ?? '' })) return true;
      }
    }
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
