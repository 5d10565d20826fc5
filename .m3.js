const Module = require('module');
const orig = Module._load;
Module._load = function (request, parent, isMain) {
  if (/^(botbuilder-dialogs|@microsoft\/recognizers|lodash$|yaml$|globalize|@azure\/identity|uuid$|botframework-streaming|fs-extra)/.test(request)) console.log(request, '<-', parent && parent.filename.replace(/.*node_modules\//,''));
  return orig.apply(this, arguments);
};
require(process.argv[2]);
