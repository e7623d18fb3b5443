/** The data given to render() does not fit the template: `variable` is the path, e.g. `articles[1].url`. */
export class TemplateDataError extends Error {
  override readonly name = 'TemplateDataError';

  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}
