/** A bootstrap step that cannot go on, with a `code` and the message a newcomer needs to fix it. */
export class BootstrapError extends Error {
  /**
   * @param {string} code e.g. NODE_TOO_OLD, INSTALL_FAILED
   * @param {string} message
   * @param {Record<string, unknown>} [context]
   */
  constructor(code, message, context = {}) {
    super(message);
    this.name = 'BootstrapError';
    this.code = code;
    this.context = context;
  }
}
