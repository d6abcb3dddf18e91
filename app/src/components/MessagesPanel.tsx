/** The fit's messages (singular fits, convergence, Laplace warnings, dropped rows...), each explained in words. */
import { explainMessage } from '../model/explain.js';

export function MessagesPanel({ messages, onRefit }: { messages: readonly string[]; onRefit(nagq: number): void }) {
  if (messages.length === 0) return null;
  return (
    <section class="card messages" aria-labelledby="msg-h">
      <h2 id="msg-h">What the fit wants you to know</h2>
      <ul>
        {messages.map((m) => {
          const e = explainMessage(m);
          return (
            <li key={m}>
              <p class="message"><code>{e.message}</code></p>
              <p>{e.explanation}</p>
              {e.nagq !== null && <button type="button" class="secondary" onClick={() => onRefit(e.nagq!)}>Refit with nAGQ = {e.nagq}</button>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
