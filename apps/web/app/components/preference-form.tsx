import { Form } from '@remix-run/react';
import type { CategoryPreference, Preferences } from '@herald/preferences';

export type SavedChange = { label: string; subscribed: boolean };

/**
 * The preference center: used by `/preferences/:token` and, with a CSRF token, by `/account`.
 * A plain form that posts the whole state, so it works without JavaScript.
 */
export function PreferenceForm(props: {
  maskedAddress: string;
  preferences: Preferences;
  saved?: SavedChange[] | undefined;
  /** Opt-ins that wait for the contact to confirm them by mail, or that this link cannot make. */
  pending?: { confirmation: { labels: string[]; sent: boolean } | null; refused: string[] } | undefined;
  csrfToken?: string;
}) {
  const { preferences, saved } = props;
  const transactional = preferences.categories.filter((category) => category.class === 'transactional');
  const promotional = preferences.categories.filter((category) => category.class === 'promotional');

  return (
    <>
      <h1>Your email preferences</h1>
      <p>
        Choose which emails we send to <strong>{props.maskedAddress}</strong>.
      </p>
      {saved && <SavedNotice changes={saved} />}
      {props.pending && <PendingNotice {...props.pending} />}
      <Form method="post">
        <input type="hidden" name="form" value="preferences" />
        {props.csrfToken && <input type="hidden" name="csrf" value={props.csrfToken} />}
        <fieldset>
          <legend>About your account (transactional)</legend>
          {transactional.map((category) => (
            <CategoryChoice key={category.key} category={category} />
          ))}
        </fieldset>
        <fieldset>
          <legend>Marketing (promotional)</legend>
          <div className="choice">
            <input
              type="checkbox"
              id="allPromotional"
              name="allPromotional"
              defaultChecked={preferences.allPromotional.subscribed}
              aria-describedby="allPromotional-hint"
            />
            <label htmlFor="allPromotional">All marketing email</label>
            <p id="allPromotional-hint" className="hint">
              Turn this off to stop every marketing email at once, whatever is chosen below.
            </p>
          </div>
          {promotional.map((category) => (
            <CategoryChoice key={category.key} category={category} />
          ))}
        </fieldset>
        <ClickTrackingChoice off={preferences.clickTrackingOff} />
        <div className="actions">
          <button type="submit">Save my preferences</button>
        </div>
      </Form>
    </>
  );
}

function CategoryChoice({ category }: { category: CategoryPreference }) {
  const id = `category-${category.key}`;
  return (
    <div className="choice">
      {!category.locked && <input type="hidden" name="shown" value={category.key} />}
      <input
        type="checkbox"
        id={id}
        name="category"
        value={category.key}
        defaultChecked={category.subscribed}
        disabled={category.locked}
        aria-describedby={`${id}-hint`}
      />
      <label htmlFor={id}>{category.name}</label>
      <p id={`${id}-hint`} className="hint">
        {category.description}
        {category.locked &&
          ' Always on: we must be able to reach you about your account’s security and changes to our terms, and these emails never contain marketing.'}
      </p>
    </div>
  );
}

/**
 * "Don't track my clicks" (docs/decisions/022-click-tracking.md). The hidden field says the form
 * showed the choice, so a form posted without it (an older page) leaves the choice as it is.
 * The wording is plain English until the message catalog's preferences.noTracking.label and
 * preferences.noTracking.hint are wired in.
 */
function ClickTrackingChoice({ off }: { off: boolean }) {
  return (
    <fieldset>
      <legend>Click tracking</legend>
      <div className="choice">
        <input type="hidden" name="trackingShown" value="1" />
        <input
          type="checkbox"
          id="noTracking"
          name="noTracking"
          defaultChecked={off}
          aria-describedby="noTracking-hint"
        />
        <label htmlFor="noTracking">Don’t track my clicks</label>
        <p id="noTracking-hint" className="hint">
          Our marketing emails count which links are followed, through links that pass by our site first. Tick
          this and the links in emails to you go straight to where they lead, and we count nothing.
        </p>
      </div>
    </fieldset>
  );
}

function SavedNotice({ changes }: { changes: SavedChange[] }) {
  if (changes.length === 0) {
    return (
      <div role="status" className="notice">
        Saved. Nothing changed.
      </div>
    );
  }
  return (
    <div role="status" className="notice">
      Saved. What changed:
      <ul>
        {changes.map((change) => (
          <li key={change.label}>
            {change.label}: {change.subscribed ? 'on' : 'off'}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Opt-ins a preference link could not make by itself (docs/decisions/014): nothing of them changed yet. */
function PendingNotice(props: {
  confirmation: { labels: string[]; sent: boolean } | null;
  refused: string[];
}) {
  return (
    <>
      {props.confirmation && (
        <div role="status" className="notice">
          {props.confirmation.sent
            ? 'Check your inbox: we sent you an email to confirm before turning these on: '
            : 'We could not send a confirmation email just now (we already sent several). Try again later to turn on: '}
          {props.confirmation.labels.join(', ')}. Until then they stay off.
        </div>
      )}
      {props.refused.length > 0 && (
        <div role="status" className="notice">
          This link can no longer turn emails on ({props.refused.join(', ')}). Use the link in our latest
          email, or sign in to your account.
        </div>
      )}
    </>
  );
}
