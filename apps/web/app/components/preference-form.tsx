import { Form } from '@remix-run/react';
import type { CategoryPreference, Preferences } from '@herald/preferences';
import { useTranslator } from '~/i18n/i18n-context';
import type { Translator } from '~/i18n/translator';

/** A change the save made, by category key; null is the all-marketing switch. */
export type SavedChange = { categoryKey: string | null; subscribed: boolean; kind?: 'no-tracking' };

/**
 * The preference center: used by `/preferences/:token` and, with a CSRF token, by `/account`.
 * A plain form that posts the whole state, so it works without JavaScript. Category names come
 * translated from the loader (localize-category.server.ts); everything else from the catalogs.
 */
export function PreferenceForm(props: {
  maskedAddress: string;
  preferences: Preferences;
  saved?: SavedChange[] | undefined;
  /** Opt-ins that wait for the contact to confirm them by mail, or that this link cannot make. */
  pending?:
    | { confirmation: { categoryKeys: (string | null)[]; sent: boolean } | null; refused: (string | null)[] }
    | undefined;
  csrfToken?: string;
}) {
  const { preferences, saved } = props;
  const translator = useTranslator();
  const { t } = translator;
  const transactional = preferences.categories.filter((category) => category.class === 'transactional');
  const promotional = preferences.categories.filter((category) => category.class === 'promotional');
  const names = new Map(preferences.categories.map((category) => [category.key, category.name]));
  const label = (categoryKey: string | null) =>
    categoryKey === null ? t('preferences.allPromotional.label') : (names.get(categoryKey) ?? categoryKey);

  return (
    <>
      <h1>{t('preferences.title')}</h1>
      <p>
        {translator.rich(
          'preferences.intro',
          { address: props.maskedAddress },
          { strong: (chunks) => <strong>{chunks}</strong> },
        )}
      </p>
      {saved && <SavedNotice changes={saved} label={label} translator={translator} />}
      {props.pending && <PendingNotice {...props.pending} label={label} translator={translator} />}
      <Form method="post">
        <input type="hidden" name="form" value="preferences" />
        {props.csrfToken && <input type="hidden" name="csrf" value={props.csrfToken} />}
        <fieldset>
          <legend>{t('preferences.transactional')}</legend>
          {transactional.map((category) => (
            <CategoryChoice key={category.key} category={category} lockedReason={t('preferences.locked')} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('preferences.promotional')}</legend>
          <div className="choice">
            <input
              type="checkbox"
              id="allPromotional"
              name="allPromotional"
              defaultChecked={preferences.allPromotional.subscribed}
              aria-describedby="allPromotional-hint"
            />
            <label htmlFor="allPromotional">{t('preferences.allPromotional.label')}</label>
            <p id="allPromotional-hint" className="hint">
              {t('preferences.allPromotional.hint')}
            </p>
          </div>
          {promotional.map((category) => (
            <CategoryChoice key={category.key} category={category} lockedReason={t('preferences.locked')} />
          ))}
        </fieldset>
        <ClickTrackingChoice off={preferences.clickTrackingOff} t={t} />
        <div className="actions">
          <button type="submit">{t('preferences.save')}</button>
        </div>
      </Form>
    </>
  );
}

function CategoryChoice({ category, lockedReason }: { category: CategoryPreference; lockedReason: string }) {
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
      {/* <bdi>: a name or description without a translation for this page keeps its own direction. */}
      <label htmlFor={id}>
        <bdi>{category.name}</bdi>
      </label>
      <p id={`${id}-hint`} className="hint">
        <bdi>{category.description}</bdi>
        {category.locked && ` ${lockedReason}`}
      </p>
    </div>
  );
}

/**
 * "Don't track my clicks" (docs/decisions/022-click-tracking.md). The hidden field says the form
 * showed the choice, so a form posted without it (an older page) leaves the choice as it is.
 */
function ClickTrackingChoice({ off, t }: { off: boolean; t: Translator['t'] }) {
  return (
    <div className="choice">
      <input type="hidden" name="trackingShown" value="1" />
      <input
        type="checkbox"
        id="noTracking"
        name="noTracking"
        defaultChecked={off}
        aria-describedby="noTracking-hint"
      />
      <label htmlFor="noTracking">{t('preferences.noTracking.label')}</label>
      <p id="noTracking-hint" className="hint">
        {t('preferences.noTracking.hint')}
      </p>
    </div>
  );
}

function SavedNotice(props: {
  changes: SavedChange[];
  label: (categoryKey: string | null) => string;
  translator: Translator;
}) {
  const { t } = props.translator;
  if (props.changes.length === 0) {
    return (
      <div role="status" className="notice">
        {t('preferences.saved.nothing')}
      </div>
    );
  }
  return (
    <div role="status" className="notice">
      {t('preferences.saved.changes')}
      <ul>
        {props.changes.map((change) => (
          <li key={change.kind ?? change.categoryKey ?? ''}>
            {t('preferences.saved.change', {
              label:
                change.kind === 'no-tracking'
                  ? t('preferences.noTracking.label')
                  : props.label(change.categoryKey),
              state: change.subscribed ? 'on' : 'off',
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Opt-ins a preference link could not make by itself (docs/decisions/014): nothing of them changed yet. */
function PendingNotice(props: {
  confirmation: { categoryKeys: (string | null)[]; sent: boolean } | null;
  refused: (string | null)[];
  label: (categoryKey: string | null) => string;
  translator: Translator;
}) {
  const { t, list } = props.translator;
  const labels = (keys: (string | null)[]) => list(keys.map(props.label));
  return (
    <>
      {props.confirmation && (
        <div role="status" className="notice">
          {t(props.confirmation.sent ? 'preferences.pending.sent' : 'preferences.pending.notSent', {
            labels: labels(props.confirmation.categoryKeys),
          })}
        </div>
      )}
      {props.refused.length > 0 && (
        <div role="status" className="notice">
          {t('preferences.pending.refused', { labels: labels(props.refused) })}
        </div>
      )}
    </>
  );
}
