import type { RenderedEmail } from '@herald/contract';

const WIDTHS = [
  { width: 1280, label: 'Desktop' },
  { width: 360, label: 'Phone' },
];

/**
 * The rendered email at a desktop's and a phone's width. Each frame is `srcdoc` with an empty
 * `sandbox`: the email's HTML cannot run scripts, submit forms or reach this page. A frame wider
 * than the screen scrolls inside its own box, which can take focus for keyboard scrolling.
 */
export function EmailPreview({ email }: { email: RenderedEmail }) {
  return (
    <div className="previews">
      <p>
        <strong>Subject:</strong> {email.subject}
      </p>
      {WIDTHS.map(({ width, label }) => (
        <div key={width}>
          <h3 id={`preview-${width}`}>
            {label}, {width} px wide
          </h3>
          <div className="preview-frame" role="region" aria-labelledby={`preview-${width}`} tabIndex={0}>
            <iframe
              title={`Email preview, ${label.toLowerCase()} width`}
              srcDoc={email.html}
              sandbox=""
              width={width}
              style={{ width, minWidth: width }}
            />
          </div>
        </div>
      ))}
      <details>
        <summary>Plain-text part</summary>
        <pre className="text-part">{email.text}</pre>
      </details>
    </div>
  );
}
