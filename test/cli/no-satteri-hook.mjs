// Makes `satteri` unresolvable in the process it is imported into (`node --import`), as on a
// platform without its binary: commands must then parse pages with remark, to the same result.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'satteri') throw Object.assign(new Error("Cannot find package 'satteri'"), { code: 'ERR_MODULE_NOT_FOUND' });
    return next(specifier, context);
  },
});
