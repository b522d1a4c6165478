# 22 rules of the bundled library (rules/nl-2024-11.rules), written in Rego
# for the side-by-side benchmark with regorus. Each rule yields the status
# cncomply gives it; the benchmark checks that both agree on every profile.
#
#   ccc.household-0701 … 0720   CCC for household appliances to GB/T 4706.1-2024
#   ccc.ev-charging-equipment    CCC for EV charging equipment
#   data-security.dsl-ciio-data-localisation
#
# input: { "as_of": "YYYY-MM-DD", "category": ID, "attributes": {…},
#          "evidence": [{ "kind", "scheme", "valid_until", "standards" }] }
# data.category_graph: category → [parent] (the vocabulary's tree)
package cncomply

import rego.v1

# The category and every category above it.
lineage := graph.reachable(data.category_graph, {input.category})

valid(item) if not item.valid_until

valid(item) if item.valid_until >= input.as_of

holds(kind, scheme) if {
	some item in input.evidence
	item.kind == kind
	item.scheme == scheme
	valid(item)
}

holds_to(kind, scheme, standard) if {
	some item in input.evidence
	item.kind == kind
	item.scheme == scheme
	valid(item)
	some s in item.standards
	lower(trim_space(s)) == lower(standard)
}

# A yes/no attribute as three-valued logic: left out is unknown, null is "no".
yes(name) := "unknown" if not name in object.keys(input.attributes)

yes(name) := "true" if input.attributes[name] == true

yes(name) := "false" if {
	name in object.keys(input.attributes)
	input.attributes[name] != true
}

# ---- ccc.household-07xx: one shape, twenty categories
household := {
	"ccc.household-0701-refrigerator": "household-refrigerator",
	"ccc.household-0702-electric-fan": "electric-fan",
	"ccc.household-0703-air-conditioner": "air-conditioner",
	"ccc.household-0704-motor-compressor": "motor-compressor",
	"ccc.household-0705-washing-machine": "washing-machine",
	"ccc.household-0706-water-heater": "electric-water-heater",
	"ccc.household-0707-indoor-heater": "indoor-heater",
	"ccc.household-0708-vacuum-cleaner": "vacuum-cleaner",
	"ccc.household-0709-skin-hair-care": "skin-hair-care-appliance",
	"ccc.household-0710-electric-iron": "electric-iron",
	"ccc.household-0711-induction-cooker": "induction-cooker",
	"ccc.household-0712-portable-oven": "portable-cooking-appliance",
	"ccc.household-0713-food-processor": "food-processor",
	"ccc.household-0714-microwave-oven": "microwave-oven",
	"ccc.household-0715-electric-stove": "electric-stove",
	"ccc.household-0716-range-hood": "range-hood",
	"ccc.household-0717-liquid-heater": "liquid-heater",
	"ccc.household-0718-rice-cooker": "rice-cooker",
	"ccc.household-0719-electric-blanket": "electric-blanket",
	"ccc.household-0720-electronic-bidet": "electronic-bidet",
}

new_standard := "gb/t 4706.1-2024"

# Certified to the old standards: excluded until the next follow-up inspection.
old_certificate if {
	holds("certificate", "ccc")
	not holds_to("certificate", "ccc", new_standard)
}

household_status(cat) := "not-applicable" if not cat in lineage

household_status(cat) := "not-applicable" if {
	cat in lineage
	old_certificate
}

household_status(cat) := "upcoming" if {
	cat in lineage
	not old_certificate
	input.as_of < "2026-08-01"
}

household_status(cat) := "met" if {
	cat in lineage
	not old_certificate
	input.as_of >= "2026-08-01"
	holds_to("certificate", "ccc", new_standard)
}

household_status(cat) := "applies" if {
	cat in lineage
	not old_certificate
	input.as_of >= "2026-08-01"
	not holds_to("certificate", "ccc", new_standard)
}

status[id] := household_status(cat) if some id, cat in household

# ---- ccc.ev-charging-equipment
ev_charging := "not-applicable" if not "ev-charging-equipment" in lineage

ev_charging := "upcoming" if {
	"ev-charging-equipment" in lineage
	input.as_of < "2026-08-01"
}

ev_charging := "met" if {
	"ev-charging-equipment" in lineage
	input.as_of >= "2026-08-01"
	holds("certificate", "ccc")
	holds("label", "ccc-mark")
}

ev_charging := "applies" if {
	"ev-charging-equipment" in lineage
	input.as_of >= "2026-08-01"
	not ev_charging_evidence
}

ev_charging_evidence if {
	holds("certificate", "ccc")
	holds("label", "ccc-mark")
}

status["ccc.ev-charging-equipment"] := ev_charging

# ---- data-security.dsl-ciio-data-localisation
ciio_scope := "false" if {
	"false" in {yes("is_ciio"), yes("processes_data_in_china")}
} else := "unknown" if {
	"unknown" in {yes("is_ciio"), yes("processes_data_in_china")}
} else := "true"

ciio := "not-applicable" if ciio_scope == "false"

ciio := "needs-info" if ciio_scope == "unknown"

ciio := "upcoming" if {
	ciio_scope == "true"
	input.as_of < "2021-09-01"
}

ciio := "met" if {
	ciio_scope == "true"
	input.as_of >= "2021-09-01"
	holds_to("filing", "conformity-record", "data security law")
}

ciio := "applies" if {
	ciio_scope == "true"
	input.as_of >= "2021-09-01"
	not holds_to("filing", "conformity-record", "data security law")
}

status["data-security.dsl-ciio-data-localisation"] := ciio
