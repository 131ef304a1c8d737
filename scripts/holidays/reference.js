// Prints the holidays date-holidays gives for each jurisdiction and year, as
// "JUR<TAB>YYYY-MM-DD<TAB>type<TAB>name" sorted: scripts/holidays/reference.sh
// runs it. Types kept: public (a day off by law for everyone: what cobro's
// calendars compare with), bank and optional (kept to show what a difference
// is); observance and school days are not days off and are left out.
'use strict';
const Holidays = require('date-holidays');

const [first, last, ...jurs] = process.argv.slice(2);
const keep = new Set(['public', 'bank', 'optional']);
const lines = [];
for (const jur of jurs) {
	const [country, state] = jur.split('-');
	const hd = state ? new Holidays(country, state) : new Holidays(country);
	for (let y = Number(first); y <= Number(last); y++)
		for (const h of hd.getHolidays(y))
			if (keep.has(h.type))
				lines.push([jur, h.date.slice(0, 10), h.type, h.name].join('\t'));
}
lines.sort();
process.stdout.write(lines.map((l) => l + '\n').join(''));
