/* US area codes to time zones, so that the contact policy can hold a call to
 * the debtor's local hours when all it has is a phone number.
 *
 * The table lists the 359 geographic area codes of the 50 states and DC in
 * service in libphonenumber's US metadata of 2026, and the 6 of Puerto Rico,
 * the US Virgin Islands, Guam, the Northern Marianas and American Samoa.
 * Zones follow the tz database's zone.tab (America/Indiana/Indianapolis,
 * Detroit, Boise, Kentucky/Louisville where they apply), checked against
 * libphonenumber's prefix-to-zone map and the states' time-zone lines.
 * Non-geographic codes (800 and the other toll-free ones, 500 and 52x/53x,
 * 600, 700, 710, 900) and Canada's and the Caribbean's are absent. New
 * overlays need a row here; until then they have no zone.
 *
 * An area code that crosses a zone line lists both zones, the one most of
 * its people live in first, with the line in a comment. 334 lists Eastern
 * for Phenix City, AL, which keeps Columbus, Georgia's time unofficially;
 * smaller towns that do the same (Kenton, OK on 580; Valley Head and
 * Mentone, AL on 256) are left out rather than narrow everyone's hours. */
#include "phone.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

enum zone {
	NONE,
	ET,   /* Eastern */
	CT,   /* Central */
	MT,   /* Mountain */
	AZ,   /* Mountain, no DST */
	PT,   /* Pacific */
	AK,   /* Alaska */
	ADAK, /* Hawaii-Aleutian, with DST */
	HI,   /* Hawaii, no DST */
	IN,   /* Eastern Indiana */
	MI,   /* Eastern Michigan */
	MENO, /* Central Michigan */
	KYL,  /* Eastern Kentucky, Louisville */
	BOI,  /* Mountain Idaho and eastern Oregon */
	PR,   /* Atlantic, no DST */
	GU,   /* Chamorro */
	AS,   /* Samoa */
};

/* clang-format off */
static const char *const zone_names[] = {
	[ET] = "America/New_York",
	[CT] = "America/Chicago",
	[MT] = "America/Denver",
	[AZ] = "America/Phoenix",
	[PT] = "America/Los_Angeles",
	[AK] = "America/Anchorage",
	[ADAK] = "America/Adak",
	[HI] = "Pacific/Honolulu",
	[IN] = "America/Indiana/Indianapolis",
	[MI] = "America/Detroit",
	[MENO] = "America/Menominee",
	[KYL] = "America/Kentucky/Louisville",
	[BOI] = "America/Boise",
	[PR] = "America/Puerto_Rico",
	[GU] = "Pacific/Guam",
	[AS] = "Pacific/Pago_Pago",
};

struct area {
	unsigned short npa;
	unsigned char zone[PHONE_US_MAX_ZONES]; /* where most people live first; NONE pads */
};

/* Sorted by area code: looked up with bsearch. */
static const struct area areas[] = {
	{ 201, { ET } },	/* New Jersey */
	{ 202, { ET } },	/* District of Columbia */
	{ 203, { ET } },	/* Connecticut */
	{ 205, { CT } },	/* Alabama */
	{ 206, { PT } },	/* Washington */
	{ 207, { ET } },	/* Maine */
	/* Idaho: the south (Boise) keeps Mountain time, the panhandle Pacific. */
	{ 208, { BOI, PT } },
	{ 209, { PT } },	/* California */
	{ 210, { CT } },	/* Texas */
	{ 212, { ET } },	/* New York */
	{ 213, { PT } },	/* California */
	{ 214, { CT } },	/* Texas */
	{ 215, { ET } },	/* Pennsylvania */
	{ 216, { ET } },	/* Ohio */
	{ 217, { CT } },	/* Illinois */
	{ 218, { CT } },	/* Minnesota */
	/* NW Indiana: Lake, Porter, LaPorte, Jasper, Newton Central; parts of White, Pulaski Eastern. */
	{ 219, { CT, IN } },
	{ 220, { ET } },	/* Ohio */
	{ 223, { ET } },	/* Pennsylvania */
	{ 224, { CT } },	/* Illinois */
	{ 225, { CT } },	/* Louisiana */
	{ 227, { ET } },	/* Maryland */
	{ 228, { CT } },	/* Mississippi */
	{ 229, { ET } },	/* Georgia */
	{ 231, { MI } },	/* Michigan */
	{ 234, { ET } },	/* Ohio */
	{ 235, { CT } },	/* Missouri */
	{ 239, { ET } },	/* Florida */
	{ 240, { ET } },	/* Maryland */
	{ 248, { MI } },	/* Michigan */
	{ 251, { CT } },	/* Alabama */
	{ 252, { ET } },	/* North Carolina */
	{ 253, { PT } },	/* Washington */
	{ 254, { CT } },	/* Texas */
	{ 256, { CT } },	/* Alabama */
	{ 260, { IN } },	/* Indiana */
	{ 262, { CT } },	/* Wisconsin */
	{ 267, { ET } },	/* Pennsylvania */
	{ 269, { MI } },	/* Michigan */
	/* W Kentucky: Bowling Green, Owensboro, Paducah Central; Elizabethtown and the east Eastern. */
	{ 270, { CT, ET } },
	{ 272, { ET } },	/* Pennsylvania */
	{ 274, { CT } },	/* Wisconsin */
	{ 276, { ET } },	/* Virginia */
	{ 279, { PT } },	/* California */
	{ 281, { CT } },	/* Texas */
	{ 283, { ET } },	/* Ohio */
	{ 301, { ET } },	/* Maryland */
	{ 302, { ET } },	/* Delaware */
	{ 303, { MT } },	/* Colorado */
	{ 304, { ET } },	/* West Virginia */
	{ 305, { ET } },	/* Florida */
	{ 307, { MT } },	/* Wyoming */
	/* W Nebraska: Grand Island, Kearney, North Platte Central; the panhandle (Scottsbluff) Mountain. */
	{ 308, { CT, MT } },
	{ 309, { CT } },	/* Illinois */
	{ 310, { PT } },	/* California */
	{ 312, { CT } },	/* Illinois */
	{ 313, { MI } },	/* Michigan */
	{ 314, { CT } },	/* Missouri */
	{ 315, { ET } },	/* New York */
	{ 316, { CT } },	/* Kansas */
	{ 317, { IN } },	/* Indiana */
	{ 318, { CT } },	/* Louisiana */
	{ 319, { CT } },	/* Iowa */
	{ 320, { CT } },	/* Minnesota */
	{ 321, { ET } },	/* Florida */
	{ 323, { PT } },	/* California */
	{ 324, { ET } },	/* Florida */
	{ 325, { CT } },	/* Texas */
	{ 326, { ET } },	/* Ohio */
	{ 327, { CT } },	/* Arkansas */
	{ 329, { ET } },	/* New York */
	{ 330, { ET } },	/* Ohio */
	{ 331, { CT } },	/* Illinois */
	{ 332, { ET } },	/* New York */
	/* SE Alabama: Central; Phenix City keeps Eastern time with Columbus, Georgia. */
	{ 334, { CT, ET } },
	{ 336, { ET } },	/* North Carolina */
	{ 337, { CT } },	/* Louisiana */
	{ 339, { ET } },	/* Massachusetts */
	{ 340, { PR } },	/* US Virgin Islands (the tz database files them under Puerto Rico) */
	{ 341, { PT } },	/* California */
	{ 346, { CT } },	/* Texas */
	{ 347, { ET } },	/* New York */
	{ 350, { PT } },	/* California */
	{ 351, { ET } },	/* Massachusetts */
	{ 352, { ET } },	/* Florida */
	{ 353, { CT } },	/* Wisconsin */
	{ 360, { PT } },	/* Washington */
	{ 361, { CT } },	/* Texas */
	{ 363, { ET } },	/* New York */
	/* Kentucky, over 270: mostly Central, the east Eastern. */
	{ 364, { CT, ET } },
	{ 369, { PT } },	/* California */
	{ 380, { ET } },	/* Ohio */
	{ 385, { MT } },	/* Utah */
	{ 386, { ET } },	/* Florida */
	{ 401, { ET } },	/* Rhode Island */
	{ 402, { CT } },	/* Nebraska */
	{ 404, { ET } },	/* Georgia */
	{ 405, { CT } },	/* Oklahoma */
	{ 406, { MT } },	/* Montana */
	{ 407, { ET } },	/* Florida */
	{ 408, { PT } },	/* California */
	{ 409, { CT } },	/* Texas */
	{ 410, { ET } },	/* Maryland */
	{ 412, { ET } },	/* Pennsylvania */
	{ 413, { ET } },	/* Massachusetts */
	{ 414, { CT } },	/* Wisconsin */
	{ 415, { PT } },	/* California */
	{ 417, { CT } },	/* Missouri */
	{ 419, { ET } },	/* Ohio */
	/* E Tennessee: Chattanooga and the Tri-Cities Eastern; Marion, Bledsoe, Sequatchie Central. */
	{ 423, { ET, CT } },
	{ 424, { PT } },	/* California */
	{ 425, { PT } },	/* Washington */
	{ 430, { CT } },	/* Texas */
	{ 432, { CT } },	/* Texas */
	{ 434, { ET } },	/* Virginia */
	{ 435, { MT } },	/* Utah */
	{ 440, { ET } },	/* Ohio */
	{ 442, { PT } },	/* California */
	{ 443, { ET } },	/* Maryland */
	{ 445, { ET } },	/* Pennsylvania */
	{ 447, { CT } },	/* Illinois */
	/* Florida, over 850: Central west of the Apalachicola, Eastern around Tallahassee. */
	{ 448, { CT, ET } },
	/* Oregon, over 541: Pacific; Malheur County Mountain. */
	{ 458, { PT, BOI } },
	{ 463, { IN } },	/* Indiana */
	{ 464, { CT } },	/* Illinois */
	{ 469, { CT } },	/* Texas */
	{ 470, { ET } },	/* Georgia */
	{ 472, { ET } },	/* North Carolina */
	{ 475, { ET } },	/* Connecticut */
	{ 478, { ET } },	/* Georgia */
	{ 479, { CT } },	/* Arkansas */
	{ 480, { AZ } },	/* Arizona */
	{ 484, { ET } },	/* Pennsylvania */
	{ 501, { CT } },	/* Arkansas */
	{ 502, { KYL } },	/* Kentucky */
	{ 503, { PT } },	/* Oregon */
	{ 504, { CT } },	/* Louisiana */
	{ 505, { MT } },	/* New Mexico */
	{ 507, { CT } },	/* Minnesota */
	{ 508, { ET } },	/* Massachusetts */
	{ 509, { PT } },	/* Washington */
	{ 510, { PT } },	/* California */
	{ 512, { CT } },	/* Texas */
	{ 513, { ET } },	/* Ohio */
	{ 515, { CT } },	/* Iowa */
	{ 516, { ET } },	/* New York */
	{ 517, { MI } },	/* Michigan */
	{ 518, { ET } },	/* New York */
	{ 520, { AZ } },	/* Arizona */
	{ 530, { PT } },	/* California */
	{ 531, { CT } },	/* Nebraska */
	{ 534, { CT } },	/* Wisconsin */
	{ 539, { CT } },	/* Oklahoma */
	{ 540, { ET } },	/* Virginia */
	/* Oregon outside Portland: Pacific; Malheur County (Ontario) Mountain. */
	{ 541, { PT, BOI } },
	{ 551, { ET } },	/* New Jersey */
	{ 557, { CT } },	/* Missouri */
	{ 559, { PT } },	/* California */
	{ 561, { ET } },	/* Florida */
	{ 562, { PT } },	/* California */
	{ 563, { CT } },	/* Iowa */
	{ 564, { PT } },	/* Washington */
	{ 567, { ET } },	/* Ohio */
	{ 570, { ET } },	/* Pennsylvania */
	{ 571, { ET } },	/* Virginia */
	{ 572, { CT } },	/* Oklahoma */
	{ 573, { CT } },	/* Missouri */
	/* N Indiana: South Bend and Elkhart Eastern; Starke County Central. */
	{ 574, { IN, CT } },
	{ 575, { MT } },	/* New Mexico */
	{ 580, { CT } },	/* Oklahoma */
	{ 582, { ET } },	/* Pennsylvania */
	{ 585, { ET } },	/* New York */
	{ 586, { MI } },	/* Michigan */
	{ 601, { CT } },	/* Mississippi */
	{ 602, { AZ } },	/* Arizona */
	{ 603, { ET } },	/* New Hampshire */
	/* South Dakota: Sioux Falls and the east Central; West River (Rapid City) Mountain. */
	{ 605, { CT, MT } },
	/* E Kentucky: Eastern; Clinton County Central. */
	{ 606, { ET, CT } },
	{ 607, { ET } },	/* New York */
	{ 608, { CT } },	/* Wisconsin */
	{ 609, { ET } },	/* New Jersey */
	{ 610, { ET } },	/* Pennsylvania */
	{ 612, { CT } },	/* Minnesota */
	{ 614, { ET } },	/* Ohio */
	{ 615, { CT } },	/* Tennessee */
	{ 616, { MI } },	/* Michigan */
	{ 617, { ET } },	/* Massachusetts */
	{ 618, { CT } },	/* Illinois */
	{ 619, { PT } },	/* California */
	/* S Kansas: Central; Hamilton, Greeley Mountain. */
	{ 620, { CT, MT } },
	{ 623, { AZ } },	/* Arizona */
	{ 626, { PT } },	/* California */
	{ 628, { PT } },	/* California */
	{ 629, { CT } },	/* Tennessee */
	{ 630, { CT } },	/* Illinois */
	{ 631, { ET } },	/* New York */
	{ 636, { CT } },	/* Missouri */
	{ 640, { ET } },	/* New Jersey */
	{ 641, { CT } },	/* Iowa */
	{ 645, { ET } },	/* Florida */
	{ 646, { ET } },	/* New York */
	{ 650, { PT } },	/* California */
	{ 651, { CT } },	/* Minnesota */
	{ 656, { ET } },	/* Florida */
	{ 657, { PT } },	/* California */
	{ 659, { CT } },	/* Alabama */
	{ 660, { CT } },	/* Missouri */
	{ 661, { PT } },	/* California */
	{ 662, { CT } },	/* Mississippi */
	{ 667, { ET } },	/* Maryland */
	{ 669, { PT } },	/* California */
	{ 670, { GU } },	/* Northern Mariana Islands (filed under Guam) */
	{ 671, { GU } },	/* Guam */
	{ 678, { ET } },	/* Georgia */
	{ 680, { ET } },	/* New York */
	{ 681, { ET } },	/* West Virginia */
	{ 682, { CT } },	/* Texas */
	{ 684, { AS } },	/* American Samoa */
	{ 686, { ET } },	/* Virginia */
	{ 689, { ET } },	/* Florida */
	/* North Dakota: Central; the southwest (Dickinson) Mountain. */
	{ 701, { CT, MT } },
	{ 702, { PT } },	/* Nevada */
	{ 703, { ET } },	/* Virginia */
	{ 704, { ET } },	/* North Carolina */
	{ 706, { ET } },	/* Georgia */
	{ 707, { PT } },	/* California */
	{ 708, { CT } },	/* Illinois */
	{ 712, { CT } },	/* Iowa */
	{ 713, { CT } },	/* Texas */
	{ 714, { PT } },	/* California */
	{ 715, { CT } },	/* Wisconsin */
	{ 716, { ET } },	/* New York */
	{ 717, { ET } },	/* Pennsylvania */
	{ 718, { ET } },	/* New York */
	{ 719, { MT } },	/* Colorado */
	{ 720, { MT } },	/* Colorado */
	{ 724, { ET } },	/* Pennsylvania */
	{ 725, { PT } },	/* Nevada */
	{ 726, { CT } },	/* Texas */
	{ 727, { ET } },	/* Florida */
	{ 728, { ET } },	/* Florida */
	{ 730, { CT } },	/* Illinois */
	{ 731, { CT } },	/* Tennessee */
	{ 732, { ET } },	/* New Jersey */
	{ 734, { MI } },	/* Michigan */
	{ 737, { CT } },	/* Texas */
	{ 738, { PT } },	/* California */
	{ 740, { ET } },	/* Ohio */
	{ 743, { ET } },	/* North Carolina */
	{ 747, { PT } },	/* California */
	{ 748, { MT } },	/* Colorado */
	{ 754, { ET } },	/* Florida */
	{ 757, { ET } },	/* Virginia */
	{ 760, { PT } },	/* California */
	{ 762, { ET } },	/* Georgia */
	{ 763, { CT } },	/* Minnesota */
	{ 765, { IN } },	/* Indiana */
	{ 769, { CT } },	/* Mississippi */
	{ 770, { ET } },	/* Georgia */
	{ 771, { ET } },	/* District of Columbia */
	{ 772, { ET } },	/* Florida */
	{ 773, { CT } },	/* Illinois */
	{ 774, { ET } },	/* Massachusetts */
	/* N Nevada: Reno Pacific; West Wendover and Jackpot keep Mountain time. */
	{ 775, { PT, MT } },
	{ 779, { CT } },	/* Illinois */
	{ 781, { ET } },	/* Massachusetts */
	/* N Kansas: Central; Sherman, Wallace Mountain. */
	{ 785, { CT, MT } },
	{ 786, { ET } },	/* Florida */
	{ 787, { PR } },	/* Puerto Rico */
	{ 801, { MT } },	/* Utah */
	{ 802, { ET } },	/* Vermont */
	{ 803, { ET } },	/* South Carolina */
	{ 804, { ET } },	/* Virginia */
	{ 805, { PT } },	/* California */
	{ 806, { CT } },	/* Texas */
	{ 808, { HI } },	/* Hawaii */
	{ 810, { MI } },	/* Michigan */
	/* S Indiana: Bloomington, Terre Haute, Jeffersonville Eastern; Evansville corner Central. */
	{ 812, { IN, CT } },
	{ 813, { ET } },	/* Florida */
	{ 814, { ET } },	/* Pennsylvania */
	{ 815, { CT } },	/* Illinois */
	{ 816, { CT } },	/* Missouri */
	{ 817, { CT } },	/* Texas */
	{ 818, { PT } },	/* California */
	{ 820, { PT } },	/* California */
	{ 821, { ET } },	/* South Carolina */
	{ 826, { ET } },	/* Virginia */
	{ 828, { ET } },	/* North Carolina */
	{ 830, { CT } },	/* Texas */
	{ 831, { PT } },	/* California */
	{ 832, { CT } },	/* Texas */
	{ 835, { ET } },	/* Pennsylvania */
	{ 838, { ET } },	/* New York */
	{ 839, { ET } },	/* South Carolina */
	{ 840, { PT } },	/* California */
	{ 843, { ET } },	/* South Carolina */
	{ 845, { ET } },	/* New York */
	{ 847, { CT } },	/* Illinois */
	{ 848, { ET } },	/* New Jersey */
	/* Florida panhandle: Pensacola to Panama City Central (most people); Tallahassee Eastern. */
	{ 850, { CT, ET } },
	{ 854, { ET } },	/* South Carolina */
	{ 856, { ET } },	/* New Jersey */
	{ 857, { ET } },	/* Massachusetts */
	{ 858, { PT } },	/* California */
	{ 859, { ET } },	/* Kentucky */
	{ 860, { ET } },	/* Connecticut */
	{ 862, { ET } },	/* New Jersey */
	{ 863, { ET } },	/* Florida */
	{ 864, { ET } },	/* South Carolina */
	{ 865, { ET } },	/* Tennessee */
	{ 870, { CT } },	/* Arkansas */
	{ 872, { CT } },	/* Illinois */
	{ 878, { ET } },	/* Pennsylvania */
	{ 901, { CT } },	/* Tennessee */
	{ 903, { CT } },	/* Texas */
	{ 904, { ET } },	/* Florida */
	/* Michigan's Upper Peninsula: Eastern; the four counties on the Wisconsin border Central. */
	{ 906, { MI, MENO } },
	/* Alaska: Alaska time; the Aleutians west of 169.5 W Hawaii-Aleutian. */
	{ 907, { AK, ADAK } },
	{ 908, { ET } },	/* New Jersey */
	{ 909, { PT } },	/* California */
	{ 910, { ET } },	/* North Carolina */
	{ 912, { ET } },	/* Georgia */
	{ 913, { CT } },	/* Kansas */
	{ 914, { ET } },	/* New York */
	{ 915, { MT } },	/* Texas */
	{ 916, { PT } },	/* California */
	{ 917, { ET } },	/* New York */
	{ 918, { CT } },	/* Oklahoma */
	{ 919, { ET } },	/* North Carolina */
	{ 920, { CT } },	/* Wisconsin */
	{ 925, { PT } },	/* California */
	/* N and W Arizona: no DST; the Navajo Nation keeps DST (Mountain). */
	{ 928, { AZ, MT } },
	{ 929, { ET } },	/* New York */
	/* Indiana, over 812: Eastern, the Evansville corner Central. */
	{ 930, { IN, CT } },
	{ 931, { CT } },	/* Tennessee */
	{ 934, { ET } },	/* New York */
	{ 936, { CT } },	/* Texas */
	{ 937, { ET } },	/* Ohio */
	{ 938, { CT } },	/* Alabama */
	{ 939, { PR } },	/* Puerto Rico */
	{ 940, { CT } },	/* Texas */
	{ 941, { ET } },	/* Florida */
	{ 943, { ET } },	/* Georgia */
	{ 945, { CT } },	/* Texas */
	{ 947, { MI } },	/* Michigan */
	{ 948, { ET } },	/* Virginia */
	{ 949, { PT } },	/* California */
	{ 951, { PT } },	/* California */
	{ 952, { CT } },	/* Minnesota */
	{ 954, { ET } },	/* Florida */
	{ 956, { CT } },	/* Texas */
	{ 959, { ET } },	/* Connecticut */
	{ 970, { MT } },	/* Colorado */
	{ 971, { PT } },	/* Oregon */
	{ 972, { CT } },	/* Texas */
	{ 973, { ET } },	/* New Jersey */
	{ 975, { CT } },	/* Missouri */
	{ 978, { ET } },	/* Massachusetts */
	{ 979, { CT } },	/* Texas */
	{ 980, { ET } },	/* North Carolina */
	{ 983, { MT } },	/* Colorado */
	{ 984, { ET } },	/* North Carolina */
	{ 985, { CT } },	/* Louisiana */
	/* Idaho, over 208: Mountain south, Pacific panhandle. */
	{ 986, { BOI, PT } },
	{ 989, { MI } },	/* Michigan */
};
/* clang-format on */

static int area_cmp(const void *key, const void *elem)
{
	const int *npa = key;
	const struct area *a = elem;

	return (*npa > a->npa) - (*npa < a->npa);
}

/* The row of a NANP number "+1NPANXXXXXX", NULL for anything else. */
static const struct area *area_of(const char *e164)
{
	int npa;

	if (!e164 || strncmp(e164, "+1", 2) != 0 || strlen(e164) != 12 ||
	    strspn(e164 + 2, "0123456789") != 10)
		return NULL;
	npa = (e164[2] - '0') * 100 + (e164[3] - '0') * 10 + (e164[4] - '0');
	return bsearch(&npa, areas, ARRAY_SIZE(areas), sizeof areas[0], area_cmp);
}

int phone_us_area_zones(const char *e164, const char **zones, int max)
{
	const struct area *a = area_of(e164);
	int n = 0;

	while (a && n < PHONE_US_MAX_ZONES && a->zone[n] != NONE) {
		if (zones && n < max)
			zones[n] = zone_names[a->zone[n]];
		n++;
	}
	return n;
}
