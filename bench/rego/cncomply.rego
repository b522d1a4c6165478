# 18 rules of the bundled library (rules/nl-2024-11.rules), written in Rego
# for the side-by-side benchmark with regorus, as an OPA author would write
# them for speed: the category's ancestors come precomputed in `data`, the
# evidence that counts is gathered once per input into sets, the
# three-valued facts once into rules, and each status is an else-chain that
# stops at the first case that holds. Each rule yields the status cncomply
# gives it; the benchmark checks that both agree on every profile.
#
#   ccc.household-0701 … 0720   CCC for household appliances to GB/T 4706.1-2024
#     (but 0702, 0706, 0711, 0717: split per kind by issue 12, not written here)
#   ccc.ev-charging-equipment    CCC for EV charging equipment
#   data-security.dsl-ciio-data-localisation
#
# input: { "as_of": "YYYY-MM-DD", "category": ID, "attributes": {…},
#          "evidence": [{ "kind", "scheme", "valid_until", "standards" }] }
# data.ancestors: category → { category: true for it and each one above it }
package cncomply

import rego.v1

# The category and every category above it: one lookup.
lineage := data.ancestors[input.category]

# ---- what the input holds, computed once per input

valid(item) if not item.valid_until

valid(item) if item.valid_until >= input.as_of

# [kind, scheme] of every item that counts on the as-of day.
held contains [item.kind, item.scheme] if {
	some item in input.evidence
	valid(item)
}

# [kind, scheme, standard] (lower case) of the same items.
held_to contains [item.kind, item.scheme, lower(trim_space(s))] if {
	some item in input.evidence
	valid(item)
	some s in item.standards
}

# A yes/no attribute as three-valued logic: left out is unknown; null (and
# any value but true) is "no".
yes(name) := "true" if {
	input.attributes[name] == true
} else := "false" if {
	_ = input.attributes[name]
} else := "unknown"

is_ciio := yes("is_ciio")

processes_data_in_china := yes("processes_data_in_china")

# ---- ccc.household-07xx: one shape, sixteen categories
household := {
	"ccc.household-0701-refrigerator": "household-refrigerator",
	"ccc.household-0703-air-conditioner": "air-conditioner",
	"ccc.household-0704-motor-compressor": "motor-compressor",
	"ccc.household-0705-washing-machine": "washing-machine",
	"ccc.household-0707-indoor-heater": "indoor-heater",
	"ccc.household-0708-vacuum-cleaner": "vacuum-cleaner",
	"ccc.household-0709-skin-hair-care": "skin-hair-care-appliance",
	"ccc.household-0710-electric-iron": "electric-iron",
	"ccc.household-0712-portable-oven": "portable-cooking-appliance",
	"ccc.household-0713-food-processor": "food-processor",
	"ccc.household-0714-microwave-oven": "microwave-oven",
	"ccc.household-0715-electric-stove": "electric-stove",
	"ccc.household-0716-range-hood": "range-hood",
	"ccc.household-0718-rice-cooker": "rice-cooker",
	"ccc.household-0719-electric-blanket": "electric-blanket",
	"ccc.household-0720-electronic-bidet": "electronic-bidet",
}

new_standard := "gb/t 4706.1-2024"

# Certified to the new standard.
certified_new if ["certificate", "ccc", new_standard] in held_to

# Certified to the old standards only: excluded until the next follow-up inspection.
old_certificate if {
	["certificate", "ccc"] in held
	not certified_new
}

household_status(cat) := "not-applicable" if {
	not lineage[cat]
} else := "not-applicable" if {
	old_certificate
} else := "upcoming" if {
	input.as_of < "2026-08-01"
} else := "met" if {
	certified_new
} else := "applies"

household_statuses := {id: household_status(cat) | some id, cat in household}

# ---- ccc.ev-charging-equipment
ev_charging := "not-applicable" if {
	not lineage["ev-charging-equipment"]
} else := "upcoming" if {
	input.as_of < "2026-08-01"
} else := "met" if {
	["certificate", "ccc"] in held
	["label", "ccc-mark"] in held
} else := "applies"


# ---- data-security.dsl-ciio-data-localisation
ciio_scope := "false" if {
	"false" in {is_ciio, processes_data_in_china}
} else := "unknown" if {
	"unknown" in {is_ciio, processes_data_in_china}
} else := "true"

ciio := "not-applicable" if {
	ciio_scope == "false"
} else := "needs-info" if {
	ciio_scope == "unknown"
} else := "upcoming" if {
	input.as_of < "2021-09-01"
} else := "met" if {
	["filing", "conformity-record", "data security law"] in held_to
} else := "applies"

# ---- every status, one object (a complete rule: what regorus's RVM compiles)
status := object.union(household_statuses, {
	"ccc.ev-charging-equipment": ev_charging,
	"data-security.dsl-ciio-data-localisation": ciio,
})
