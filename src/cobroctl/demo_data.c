/* The demo portfolio's vocabulary. Phone numbers follow each country's real
 * numbering plan so that the E.164 module and the contact policy see the
 * shapes they will see in production; e-mail domains are the reserved
 * example ones (RFC 2606), so a demo never writes to a real mailbox. */
#include "demo_data.h"

#include <string.h>

#include "util.h"

#define WORDS(name, ...)                                                   \
	static const char *const name##_w[] = { __VA_ARGS__ };             \
	const struct demo_words name = { name##_w, ARRAY_SIZE(name##_w) }

/* ------------------------------------------------------------------ names */
WORDS(demo_es_female, "María", "Ana", "Lucía", "Sofía", "Valentina", "Camila", "Isabel",
      "Carmen", "Rosa", "Patricia", "Gabriela", "Daniela", "Fernanda", "Mónica", "Verónica",
      "Beatriz", "Elena", "Adriana", "Ximena", "Paola", "Andrea", "Lorena", "Claudia",
      "Natalia", "Inés", "Raquel", "Pilar", "Mercedes", "Teresa", "Yolanda", "Guadalupe",
      "Marisol", "Leticia", "Rocío", "Begoña", "Nuria", "Itziar", "Ángela", "Noemí", "Zoé");
WORDS(demo_es_male, "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Andrés", "Diego",
      "Javier", "Alejandro", "Fernando", "Ricardo", "Sergio", "Raúl", "Óscar", "Héctor",
      "Manuel", "Francisco", "Antonio", "Pedro", "Pablo", "Rodrigo", "Eduardo", "Víctor",
      "Gonzalo", "Martín", "Tomás", "Joaquín", "Ramón", "Iñaki", "Rubén", "Adrián",
      "Agustín", "Sebastián", "Emilio", "Julián", "Germán", "Nicolás", "Hernán", "Jesús");
WORDS(demo_es_surnames, "Núñez", "Muñoz", "Peña", "Ibáñez", "García", "Pérez", "Rodríguez",
      "González", "Fernández", "López", "Martínez", "Sánchez", "Ramírez", "Torres", "Flores",
      "Rivera", "Gómez", "Díaz", "Vásquez", "Castillo", "Jiménez", "Morales", "Rojas",
      "Herrera", "Medina", "Castro", "Ortiz", "Ruiz", "Álvarez", "Romero", "Chávez",
      "Mendoza", "Quispe", "Mamani", "Huamán", "Gutiérrez", "Salazar", "Vargas", "Espinoza",
      "Aguilar", "Contreras", "Guzmán", "Sepúlveda", "Araya", "Fuentes", "Valenzuela",
      "Cárdenas", "Zúñiga", "Muñiz", "Carreño", "Ordóñez", "Montaño", "Cañas", "Yáñez",
      "Echeverría", "Urrutia", "Arévalo", "Beltrán", "Cortés", "Domínguez", "Galván",
      "Hernández", "León", "Marín", "Navarro", "Olmos", "Paz", "Quintero", "Ríos",
      "Solís", "Téllez", "Uribe", "Villalobos", "Zapata", "Barrientos", "Cifuentes",
      "Bermúdez", "Gallego", "Iglesias", "Santamaría");
WORDS(demo_en_female, "Mary", "Jennifer", "Linda", "Elizabeth", "Susan", "Jessica", "Sarah",
      "Karen", "Nancy", "Lisa", "Betty", "Ashley", "Emily", "Michelle", "Amanda", "Melissa",
      "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy",
      "Angela", "Brenda", "Emma", "Olivia", "Hannah", "Megan");
WORDS(demo_en_male, "James", "Robert", "John", "Michael", "David", "William", "Richard",
      "Joseph", "Thomas", "Christopher", "Charles", "Daniel", "Matthew", "Anthony", "Mark",
      "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George",
      "Timothy", "Ronald", "Jason", "Ryan", "Jacob", "Gary");
WORDS(demo_en_surnames, "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
      "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Thompson",
      "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
      "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell",
      "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
      "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson",
      "O'Brien", "Sullivan", "Kelly", "Fitzgerald", "Bennett", "Reed", "Bailey", "Brooks",
      "Hughes", "Price", "Foster");
WORDS(demo_email_domains, "example.com", "example.net", "example.org", "mail.example.com",
      "correo.example.net");

/* --------------------------------------------------------------- places */
#define P(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* zone, UTC offset, weight, jurisdiction, city, mobile patterns, landline patterns */
static const struct demo_zone pe_zones[] = {
	{ "America/Lima", -300, 1, "PE", "Lima", P("+519########"), P("+511#######") },
};
static const struct demo_zone mx_zones[] = {
	{ "America/Mexico_City", -360, 55, "MX", "Ciudad de México",
	  P("+5255########", "+5256########"), P("+5255########") },
	{ "America/Monterrey", -360, 20, "MX", "Monterrey", P("+5281########"), P("+5281########") },
	{ "America/Cancun", -300, 10, "MX", "Cancún", P("+52998#######"), P("+52998#######") },
	{ "America/Tijuana", -480, 15, "MX", "Tijuana", P("+52664#######"), P("+52664#######") },
};
static const struct demo_zone co_zones[] = {
	{ "America/Bogota", -300, 1, "CO", "Bogotá",
	  P("+5730########", "+5731########", "+5732########", "+57350#######"), P("+57601#######") },
};
static const struct demo_zone cl_zones[] = {
	{ "America/Santiago", -240, 1, "CL", "Santiago", P("+569########"), P("+5622#######") },
};
static const struct demo_zone es_zones[] = {
	{ "Europe/Madrid", 60, 1, "ES", "Madrid", P("+346########", "+347########"), P("+3491#######") },
};
/* Area codes of the zone's own city: 212/917/646/718 New York, 312/773
 * Chicago, 303/720 Denver, 213/310/323 Los Angeles, 617/857 Boston. */
static const struct demo_zone us_zones[] = {
	{ "America/New_York", -300, 30, "US", "New York, NY",
	  P("+1212N######", "+1917N######", "+1646N######", "+1718N######"),
	  P("+1212N######", "+1718N######") },
	{ "America/Chicago", -360, 20, "US", "Chicago, IL",
	  P("+1312N######", "+1773N######"), P("+1312N######") },
	{ "America/Denver", -420, 10, "US", "Denver, CO",
	  P("+1303N######", "+1720N######"), P("+1303N######") },
	{ "America/Los_Angeles", -480, 25, "US", "Los Angeles, CA",
	  P("+1213N######", "+1310N######", "+1323N######"), P("+1213N######", "+1310N######") },
	{ "America/New_York", -300, 15, "US-MA", "Boston, MA",
	  P("+1617N######", "+1857N######"), P("+1617N######") },
};

WORDS(pe_streets, "Av. Arequipa", "Jr. de la Unión", "Av. Larco", "Av. Brasil", "Calle Las Begonias",
      "Av. Javier Prado");
WORDS(mx_streets, "Av. Insurgentes Sur", "Calle Madero", "Av. Reforma", "Calle 5 de Mayo",
      "Av. Constitución", "Calle Niños Héroes");
WORDS(co_streets, "Carrera 7", "Calle 72", "Avenida Caracas", "Carrera 15", "Calle 100", "Avenida Boyacá");
WORDS(cl_streets, "Av. Providencia", "Av. Libertador Bernardo O'Higgins", "Calle Huérfanos", "Av. Apoquindo",
      "Calle Ñuble", "Av. Irarrázaval");
WORDS(es_streets, "Calle Mayor", "Gran Vía", "Calle de Alcalá", "Paseo de la Castellana", "Calle de Atocha",
      "Calle de Núñez de Balboa");
WORDS(us_streets, "Main St", "Oak Ave", "Maple St", "Washington Blvd", "Lincoln Ave", "Park Pl");

const struct demo_country demo_countries[] = {
	{ "PE", "PEN", 20, 0, 0, 0, 12, ID_DNI_PE, pe_zones, ARRAY_SIZE(pe_zones), &pe_streets },
	{ "MX", "MXN", 25, 0, 0, 0, 0, ID_CURP_MX, mx_zones, ARRAY_SIZE(mx_zones), &mx_streets },
	{ "CO", "COP", 15, 0, 0, 20, 0, ID_CC_CO, co_zones, ARRAY_SIZE(co_zones), &co_streets },
	{ "CL", "CLP", 10, 0, 0, 0, 0, ID_RUT_CL, cl_zones, ARRAY_SIZE(cl_zones), &cl_streets },
	{ "ES", "EUR", 10, 0, 0, 0, 0, ID_DNI_ES, es_zones, ARRAY_SIZE(es_zones), &es_streets },
	{ "US", "USD", 20, 75, 50, 0, 0, ID_SSN4_US, us_zones, ARRAY_SIZE(us_zones), &us_streets },
};
const size_t demo_ncountries = ARRAY_SIZE(demo_countries);

long demo_currency_scale(const char *c)
{
	static const struct { const char *code; long scale; } s[] = {
		{ "PEN", 370 }, { "MXN", 1700 }, { "COP", 400000 }, { "CLP", 90000 },
		{ "EUR", 92 }, { "USD", 100 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		if (strcmp(c, s[i].code) == 0)
			return s[i].scale;
	return 100;
}

/* ------------------------------------------------------ lenders, products */
const struct demo_product demo_products[] = {
	{ "card", 60, 700, 4, 12 },
	{ "personal_loan", 120, 900, 6, 12 },
	{ "mobile_postpaid", 20, 90, 3, 6 },
	{ "store_credit", 35, 260, 3, 9 },
	{ "electricity", 25, 180, 3, 6 },
	{ "auto_loan", 280, 950, 6, 12 },
	{ "microcredit", 30, 220, 4, 10 },
};
const size_t demo_nproducts = ARRAY_SIZE(demo_products);

const struct demo_creditor demo_creditors[] = {
	{ "banco-andino", "Banco Andino", "cobranzas@bancoandino.example.com",
	  "atencion@bancoandino.example.com",
	  "https://pagos.bancoandino.example.com/p/", "BAN", "PE MX CO CL", P("card", "personal_loan") },
	{ "movilsur", "MovilSur Telecomunicaciones", "facturacion@movilsur.example.com", NULL,
	  "https://movilsur.example.com/pagar/", "MSR", "PE MX CO CL ES", P("mobile_postpaid") },
	{ "tiendas-sol", "Tiendas del Sol", "credito@tiendassol.example.com", NULL,
	  "https://tiendassol.example.com/paga/", "TDS", "PE MX CO CL", P("store_credit") },
	{ "energia-norte", "Energía del Norte", "cobros@energianorte.example.com", NULL,
	  "https://energianorte.example.com/pago/", "EDN", "MX CO ES", P("electricity") },
	{ "credihogar", "CrediHogar Financiera", "recuperaciones@credihogar.example.com", NULL,
	  "https://credihogar.example.com/p/", "CRH", "PE CO MX", P("microcredit", "personal_loan") },
	{ "financiera-iberica", "Financiera Ibérica", "recobros@fiberica.example.com",
	  "clientes@fiberica.example.com",
	  "https://fiberica.example.com/pago/", "FIB", "ES", P("personal_loan", "card") },
	{ "liberty-card", "Liberty Card Services", "collections@libertycard.example.com", NULL,
	  "https://pay.libertycard.example.com/a/", "LCS", "US", P("card") },
	{ "metro-auto", "Metro Auto Finance", "accounts@metroauto.example.com", NULL,
	  "https://metroauto.example.com/pay/", "MAF", "US MX", P("auto_loan") },
	{ "coastline-utilities", "Coastline Utilities", "billing@coastline.example.com", NULL,
	  "https://coastline.example.com/billpay/", "CLU", "US", P("electricity") },
};
const size_t demo_ncreditors = ARRAY_SIZE(demo_creditors);

/* ----------------------------------------------------------------- words */
WORDS(notes_es, "Cliente indica que pagará el viernes con su sueldo.",
      "Se comprometió a regularizar la cuota vencida esta semana.",
      "No se encontraba el titular; atendió su hermana, dejará el recado.",
      "Solicita refinanciamiento; se deriva a supervisión.",
      "Dice que ya pagó; pide enviar constancia al correo.",
      "Perdió el empleo hace dos meses; propone pagos parciales.",
      "Número correcto, titular cortó la llamada al identificarnos.",
      "Acepta plan de pagos en tres cuotas quincenales.",
      "Pide que lo llamen después de las 18:00, horario de oficina.",
      "Cliente molesto por cargos de mora; se explica el detalle.",
      "Confirma dirección para envío de carta de cobranza.",
      "Viajó fuera del país; regresa a fin de mes.");
WORDS(notes_en, "Customer says they will pay on Friday after payday.",
      "Agreed to bring the past-due instalment current this week.",
      "Spoke to the spouse; left a message for the account holder.",
      "Requests a hardship plan; escalated to the supervisor.",
      "Says the payment was already made; asked for a receipt by email.",
      "Lost their job two months ago; offers partial payments.",
      "Right number, customer hung up after identification.",
      "Accepted a three-part payment plan, every two weeks.",
      "Asks to be called after 6 pm, works office hours.",
      "Upset about late fees; explained the charges.",
      "Confirmed the mailing address for the collection letter.",
      "Out of the country until the end of the month.");
const struct demo_words demo_notes[2] = { { notes_es_w, ARRAY_SIZE(notes_es_w) },
					   { notes_en_w, ARRAY_SIZE(notes_en_w) } };

WORDS(replies_es, "Pagaré mañana", "¿Cuánto debo exactamente?", "Ya pagué, revisen por favor",
      "Llámenme en la tarde", "No puedo pagar este mes", "¿Me envían el enlace de pago?",
      "Estoy de viaje, pago a la vuelta", "Gracias, lo reviso");
WORDS(replies_en, "I'll pay tomorrow", "How much do I owe exactly?", "Already paid, please check",
      "Call me in the afternoon", "Can't pay this month", "Can you send the payment link?",
      "Traveling, will pay when I'm back", "Thanks, will check");
const struct demo_words demo_replies[2] = { { replies_es_w, ARRAY_SIZE(replies_es_w) },
					     { replies_en_w, ARRAY_SIZE(replies_en_w) } };

WORDS(dispute_es, "Desconoce la deuda; solicita copia del contrato.",
      "Afirma que el cargo es un error de facturación.",
      "Reclamo abierto ante la entidad; se suspende la gestión.");
WORDS(dispute_en, "Does not recognise the debt; asks for a copy of the contract.",
      "Says the charge is a billing error.",
      "Complaint filed with the creditor; collection paused.");
const struct demo_words demo_dispute_notes[2] = { { dispute_es_w, ARRAY_SIZE(dispute_es_w) },
						   { dispute_en_w, ARRAY_SIZE(dispute_en_w) } };

/* [language][0 reminder before the due date, 1 past due]; printf arguments:
 * first name, amount, due date (and the address for letters). */
const char *const demo_sms_text[2][2] = {
	{ "Hola %s, le recordamos que su cuota de %s vence el %s. Pague en línea o llámenos. "
	  "BAJA para no recibir SMS.",
	  "Hola %s, su cuota de %s venció el %s. Regularice hoy o llámenos. BAJA para no recibir SMS." },
	{ "Hi %s, a reminder that your payment of %s is due on %s. Pay online or call us. "
	  "Reply STOP to opt out.",
	  "Hi %s, your payment of %s was due on %s. Please pay today or call us. Reply STOP to opt out." },
};
const char *const demo_email_subject[2][2] = {
	{ "%s, su cuota de %s vence el %s", "%s, tiene un saldo vencido de %s desde el %s" },
	{ "%s, your payment of %s is due on %s", "%s, your payment of %s is past due since %s" },
};
const char *const demo_wa_text[2][2] = {
	{ "Hola %s 👋 Le recordamos su pago de %s con vencimiento el %s.",
	  "Hola %s, su pago de %s está vencido desde el %s. ¿Le ayudamos con un plan? 🙂" },
	{ "Hi %s 👋 A reminder of your payment of %s due on %s.",
	  "Hi %s, your payment of %s is past due since %s. Can we help with a plan? 🙂" },
};
const char *const demo_letter_text[2] = {
	"Carta de requerimiento de pago por %s (vencido desde el %s), enviada a %s.",
	"Demand letter for %s (past due since %s), mailed to %s.",
};
WORDS(visit_es, "se conversó con el titular", "no había nadie en el domicilio",
      "atendió un familiar, dejó aviso", "el titular ya no vive allí");
WORDS(visit_en, "spoke to the account holder", "nobody was home",
      "a relative answered, left a notice", "the account holder moved out");
const struct demo_words demo_visit_result[2] = { { visit_es_w, ARRAY_SIZE(visit_es_w) },
						  { visit_en_w, ARRAY_SIZE(visit_en_w) } };
const char *const demo_visit_text[2] = { "Visita a %s: %s.", "Field visit to %s: %s." };
WORDS(stop_es, "BAJA", "Baja", "baja por favor");
WORDS(stop_en, "STOP", "Stop", "UNSUBSCRIBE");
const struct demo_words demo_stop_words[2] = { { stop_es_w, ARRAY_SIZE(stop_es_w) },
						{ stop_en_w, ARRAY_SIZE(stop_en_w) } };

/* ---------------------------------------------------------------- people */
const struct demo_person demo_people[] = {
	{ "ana", "Ana Quispe Muñoz", "collector", "norte" },
	{ "luis", "Luis Ibáñez Rojas", "collector", "norte" },
	{ "carla", "Carla Peña Torres", "collector", "sur" },
	{ "diego", "Diego Núñez Araya", "collector", "sur" },
	{ "sofia", "Sofía Castillo Núñez", "supervisor", "norte" },
	{ "marta", "Marta García Ordóñez", "lead", "norte" },
	{ "admin", "Administración", "admin", NULL },
};
const size_t demo_npeople = ARRAY_SIZE(demo_people);

WORDS(demo_team_codes, "norte", "sur", "centro", "este", "oeste", "lima", "cdmx", "bogota",
      "santiago", "madrid", "nyc", "chicago", "denver", "la", "boston", "monterrey", "tijuana",
      "cancun", "arequipa", "medellin");
WORDS(demo_team_names, "Equipo Norte", "Equipo Sur", "Equipo Centro", "Equipo Este",
      "Equipo Oeste", "Equipo Lima", "Equipo CDMX", "Equipo Bogotá", "Equipo Santiago",
      "Equipo Madrid", "New York team", "Chicago team", "Denver team", "Los Angeles team",
      "Boston team", "Equipo Monterrey", "Equipo Tijuana", "Equipo Cancún", "Equipo Arequipa",
      "Equipo Medellín");
