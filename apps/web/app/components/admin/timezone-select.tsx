/** A plain select of every IANA zone (the list comes from the server, so both render the same). */
export function TimezoneSelect({
  zones,
  defaultValue,
  control,
  name = 'timezone',
}: {
  zones: string[];
  defaultValue: string;
  control: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string };
  name?: string;
}) {
  return (
    <select name={name} defaultValue={defaultValue} {...control}>
      {zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone}
        </option>
      ))}
    </select>
  );
}
