/**
 * One checkbox per category, each named `categories` with the category's key as its value, as the
 * campaign, subscribe-form and import forms ask for them. `checked`: the keys ticked when the page
 * comes back with the person's own choices.
 */
export function CategoryCheckboxes({
  categories,
  checked,
  className = 'checkbox',
}: {
  categories: readonly { key: string; name: string }[];
  checked: readonly string[] | undefined;
  className?: string;
}) {
  return (
    <>
      {categories.map((category) => (
        <div key={category.key} className={className}>
          <input
            type="checkbox"
            id={`category-${category.key}`}
            name="categories"
            value={category.key}
            defaultChecked={checked?.includes(category.key)}
          />
          <label htmlFor={`category-${category.key}`}>{category.name}</label>
        </div>
      ))}
    </>
  );
}
