// The signing-request form: every change rebuilds the input, asks the core (the
// validation-only wasm entry) for all issues, shows each under its field in Bulgarian and
// English, and previews the exact body the core would send.
import init, { validate, previewBody, buildRequest } from '../dist/validation/cqes_wasm.js';

const OP = 'btrust.sendSignRequest';
const config = { environment: 'uat', relyingPartyId: '12345678', language: 'bg' };
const $ = (id) => document.getElementById(id);

// UI text in Bulgarian by the core's stable issue code; the English line is the core's own
// message (more specific than a per-code table).
const BG = {
  required: 'Полето е задължително.',
  invalid_type: 'Невалиден тип на стойността.',
  invalid_format: 'Невалиден формат.',
  checksum: 'Контролната цифра не съвпада — проверете номера.',
  invalid_date: 'Невалидна дата (датата на раждане в ЕГН не съществува).',
  out_of_range: 'Стойността е извън допустимия диапазон.',
  too_long: 'Стойността е твърде дълга.',
  too_short: 'Стойността е твърде кратка.',
  too_large: 'Файлът е твърде голям.',
  invalid_base64: 'Съдържанието не е валиден base64.',
  not_pdf: 'Файлът не е PDF: подпис PAdES изисква PDF документ.',
  unknown_value: 'Непозната стойност.',
  mismatch: 'Стойностите не си съответстват.',
  invalid_length: 'Невалидна дължина.',
  insecure_url: 'Адресът трябва да е https://.',
  conflict: 'Несъвместими стойности.',
  unknown_field: 'Непознато поле.',
};

// Where the per-code text would mislead for one field.
const BG_FIELD = { 'files:too_short': 'Изберете поне един документ.', 'files:required': 'Изберете поне един документ.' };

/** Which form field an issue path belongs to. */
function fieldOf(path) {
  if (path.startsWith('identity')) return 'personalId';
  if (/^request\.contents(\[\d+\])?(\.(data|fileName|contentFormat))?$/.test(path)) return 'files';
  const m = path.match(/^request\.contents\[\d+\]\.(\w+)/);
  if (m && ['confirmText', 'signatureType', 'signaturePosition'].includes(m[1])) return m[1];
  if (m && m[1] === 'padesVisualSignature') return 'signaturePosition';
  if (path === 'request.callbackURL') return 'callbackURL';
  return 'other';
}

let files = []; // [{ name, bytes }]

function num(id) {
  const v = $(id).value.trim();
  return v === '' ? null : Number(v);
}

/** The input the form describes: one content per chosen file. */
function input() {
  const position = {
    pageNumber: num('pageNumber'), imageXAxis: num('imageXAxis'), imageYAxis: num('imageYAxis'),
    imageWidth: num('imageWidth'), imageHeight: num('imageHeight'),
  };
  const type = $('signatureType').value;
  const visual = $('visual').checked && type.startsWith('PADES');
  const contents = files.map((f) => ({
    confirmText: $('confirmText').value,
    contentFormat: 'BINARY_BASE64',
    data: f.bytes,
    fileName: f.name,
    signatureType: type,
    ...(visual ? { padesVisualSignature: true, signaturePosition: position } : {}),
  }));
  const request = { contents };
  const cb = $('callbackURL').value.trim();
  if (cb) request.callbackURL = cb;
  return { identity: { personalId: $('personalId').value.trim() }, request };
}

function fileLabel(path) {
  const m = path.match(/contents\[(\d+)\]/);
  return m && files[m[1]] ? `${files[m[1]].name}: ` : '';
}

function render() {
  const inp = input();
  let issues;
  try {
    issues = validate(OP, config, inp);
  } catch (e) {
    issues = [{ path: '', code: e.error ?? 'invalid_type', message: e.message }];
  }
  document.querySelectorAll('.issues').forEach((ul) => ul.replaceChildren());
  document.querySelectorAll('.bad').forEach((el) => el.classList.remove('bad'));
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    const li = document.createElement('li');
    li.dataset.code = issue.code;
    li.dataset.path = issue.path;
    const en = document.createElement('span');
    en.className = 'en';
    en.textContent = issue.message;
    li.append(`${fileLabel(issue.path)}${BG_FIELD[`${field}:${issue.code}`] ?? BG[issue.code] ?? issue.code} `, en);
    document.querySelector(`.issues[data-field="${field}"]`).append(li);
    $(field === 'signaturePosition' ? 'pageNumber' : field)?.classList.add('bad');
  }
  const status = $('status');
  if (issues.length === 0) {
    const req = buildRequest(OP, config, inp);
    const body = previewBody(OP, config, inp);
    $('target').textContent = `${req.method} ${req.logUrl}`;
    status.className = 'status ok';
    status.textContent = 'Няма грешки — готово за изпращане. / No issues: ready to send.';
    window.cqesBody = body; // the whole body, for the page test
    $('body').textContent = body.length > 65536 ? `${body.slice(0, 65536)} … (${body.length} bytes)` : body;
  } else {
    status.className = 'status bad';
    status.textContent = `Проблеми: ${issues.length} / Issues: ${issues.length}`;
    window.cqesBody = null;
    $('target').textContent = '';
    $('body').textContent = '';
  }
  document.body.dataset.issues = String(issues.length);
}

await init();
$('files').addEventListener('change', async (ev) => {
  files = await Promise.all([...ev.target.files].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  render();
});
$('form').addEventListener('input', render);
$('form').addEventListener('change', render);
render();
document.body.dataset.ready = 'true';
