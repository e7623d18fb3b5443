const TONE: Record<string, 'good' | 'bad' | undefined> = {
  sent: 'good',
  effective: 'good',
  announced: 'good',
  cancelled: 'bad',
  paused: 'bad',
};

/** A status word in a pill; the word itself carries the meaning, the colour only repeats it. */
export function StatusBadge({ status }: { status: string }) {
  const tone = TONE[status];
  return <span className={tone ? `badge ${tone}` : 'badge'}>{status}</span>;
}
