/* Template files (cobroctl template add): the header, the body, the checker
 * and rendering with the sample data, in both languages; and the SMS
 * measure of what renders. */
#include "fuzz.h"

#include "sms.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), err[512];
	struct template_def def;

	template_check(text, err, sizeof err);
	if (template_parse_file("fuzz.tpl", text, &def, err, sizeof err)) {
		FUZZ_ASSERT(def.body && *def.body, "a parsed template has a body");
		FUZZ_ASSERT(template_check(def.body, NULL, 0), "a parsed body checks");
		FUZZ_ASSERT(!def.subject || template_check(def.subject, NULL, 0), "a parsed subject checks");
		FUZZ_ASSERT(!(def.requires >> TF_COUNT), "a parsed template requires only known facts");
		for (const char *const *lang = (const char *const[]){"es", "en", NULL}; *lang; lang++) {
			struct template_data d;
			char *body, *subject = NULL;

			template_sample(&d, *lang);
			body = template_render(def.body, &d, err, sizeof err);
			FUZZ_ASSERT(body, "the sample data renders every placeholder: %s", err);
			/* Nothing the file did not hold becomes a control character. */
			for (const char *p = body; *p; p++)
				FUZZ_ASSERT((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t',
					    "a rendered body holds a control character");
			sms_check_limit(body, 2, err, sizeof err);
			if (def.subject) {
				subject = template_render(def.subject, &d, err, sizeof err);
				FUZZ_ASSERT(subject && !strpbrk(subject, "\r\n"), "a rendered subject is one line");
			}
			free(body);
			free(subject);
		}
		template_def_free(&def);
	} else {
		FUZZ_ASSERT(!def.body && !def.subject, "a refused file leaves nothing to free");
		FUZZ_ASSERT(strncmp(err, "fuzz.tpl:", 9) == 0, "a refusal names the file: %s", err);
		for (const char *p = err; *p; p++)
			FUZZ_ASSERT(((unsigned char)*p >= 0x20 && *p != 0x7F) || *p == '\t',
				    "a message echoes a control character");
	}
	free(text);
	return 0;
}
