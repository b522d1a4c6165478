# The same 18 rules as cncomply.rego, written to give the complete finding
# cncomply's evaluator gives each of them, not only the status: the reason
# sentence, the dates, the facts missing, whether the evidence met it and
# the notes on each item read, and every condition read (its text, the
# profile path, the value read, the three-valued result). Written as an OPA
# author would for speed: ancestors in `data`, each evidence check and
# condition trace shared by the rules that read it computed once per input,
# else-chains that stop at the first case that holds.
#
# input: { "as_of": "YYYY-MM-DD", "as_of_day": N, "category": ID,
#          "attributes": {…},
#          "evidence": [{ "kind", "scheme", "number", "valid_until", "standards" }] }
# data.ancestors: category → { category: true for it and each one above it }
# data.day: date → day number (the rules' own dates), for days_left
package cncomply.findings

import rego.v1

lineage := data.ancestors[input.category]

# ---- evidence, as cncomply reads it

# Why an item of the right kind and scheme does not count (undefined: it counts).
refusal(item, std) := sprintf("expired on %s", [item.valid_until]) if {
	item.valid_until < input.as_of
} else := sprintf("names no standard; it must be to %s", [std]) if {
	std != ""
	count(item.standards) == 0
} else := sprintf("is to %s; it must be to %s", [concat(", ", item.standards), std]) if {
	std != ""
	not meets(item, std)
}

meets(item, std) if {
	some s in item.standards
	lower(trim_space(s)) == lower(std)
}

item_name(item) := sprintf("%s %s (%s)", [item.kind, item.scheme, item.number]) if {
	item.number
} else := sprintf("%s %s", [item.kind, item.scheme])

describe(kind, scheme, std) := sprintf("%s %s to standard \"%s\"", [kind, scheme, std]) if {
	std != ""
} else := sprintf("%s %s", [kind, scheme])

# { met, notes } for one required item: the first that counts, else why
# each of the kind and scheme does not, else what is held instead.
check_ref(kind, scheme, std) := {"met": true, "notes": [sprintf("%s held", [item_name(first)])]} if {
	counting := [item |
		some item in input.evidence
		item.kind == kind
		item.scheme == scheme
		not refusal(item, std)
	]
	count(counting) > 0
	first := counting[0]
} else := {"met": false, "notes": refused} if {
	refused := [sprintf("%s %s", [item_name(item), refusal(item, std)]) |
		some item in input.evidence
		item.kind == kind
		item.scheme == scheme
	]
	count(refused) > 0
} else := {"met": false, "notes": array.concat(family, [none_held(kind, scheme, std)])} if {
	family := [sprintf("%s %s is held; it does not count as %s %s", [item.kind, item.scheme, kind, scheme]) |
		some item in input.evidence
		item.kind != kind
		startswith(item.scheme, concat("", [scheme, "-"]))
	]
}

none_held(kind, scheme, std) := sprintf("no %s is recorded", [describe(kind, scheme, std)]) if {
	count(other_schemes(kind, scheme)) == 0
} else := sprintf("no %s is recorded; %s %s is another scheme and does not count", [
	describe(kind, scheme, std), kind, concat(", ", other_schemes(kind, scheme)),
])

other_schemes(kind, scheme) := [item.scheme |
	some item in input.evidence
	item.kind == kind
	item.scheme != scheme
]

# An item of the kind and scheme counts for the standard.
holding(kind, scheme, std) if {
	some item in input.evidence
	item.kind == kind
	item.scheme == scheme
	not refusal(item, std)
}

# `holds …` as a condition: [condition, path, value, result]. No body of an
# else-chain here iterates: regorus 0.14.1's RVM makes the whole rule
# undefined when a loop in such a body finds nothing, instead of going on
# to the `else` (the interpreter is right); see bench/rego/README.md.
holds_check(kind, scheme, std) := [concat("", ["holds ", describe(kind, scheme, std)]), "evidence", "held", "true"] if {
	holding(kind, scheme, std)
} else := [concat("", ["holds ", describe(kind, scheme, std)]), "evidence", "not held", "false"]

# ---- a finding, from its conditions read and its evidence

finding(status, reason, effective, checks, missing, ev) := {
	"status": status,
	"reason": reason,
	"effective": effective,
	"case": null,
	"transition_until": null,
	"deadline": null,
	"days_left": null,
	"missing": missing,
	"evidence_met": ev.met,
	"notes": ev.notes,
	"checks": checks,
}

no_evidence := {"met": false, "notes": []}

outside(checks) := finding("not-applicable", "the product is outside the scope", null, checks, [], no_evidence)

# In scope and not excluded: upcoming, met or applies by the date and evidence.
dated(effective, checks, ev) := object.union(
	finding("upcoming", sprintf("applies from %s", [effective]), effective, checks, [], ev),
	{"deadline": effective, "days_left": data.day[effective] - input.as_of_day},
) if {
	input.as_of < effective
} else := finding("met", concat("", ["shown met: ", concat("; ", ev.notes)]), effective, checks, [], ev) if {
	ev.met
} else := finding("applies", sprintf("in force since %s; not shown met", [effective]), effective, checks, [], ev)

category_check(cat) := [concat("", ["category is ", cat]), "category", input.category, "true"] if {
	lineage[cat]
} else := [concat("", ["category is ", cat]), "category", input.category, "false"]

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

new_standard := "GB/T 4706.1-2024"

old_excluded := "excluded: Already certified under the old standards: a new certificate is due before the next follow-up inspection after 2026-08-01 (see ccc.household-appliance-existing-certificates)"

# Read once for all sixteen rules.
held_ccc := holds_check("certificate", "ccc", "")

held_ccc_new := holds_check("certificate", "ccc", new_standard)

household_evidence := check_ref("certificate", "ccc", new_standard)

household_finding(cat) := outside([category_check(cat)]) if {
	not lineage[cat]
} else := finding("not-applicable", old_excluded, null, checks, [], no_evidence) if {
	held_ccc[3] == "true"
	held_ccc_new[3] == "false"
	checks := [category_check(cat), held_ccc, held_ccc_new]
} else := dated("2026-08-01", [category_check(cat), held_ccc, held_ccc_new], household_evidence)

household_findings := {id: household_finding(cat) | some id, cat in household}

# ---- ccc.ev-charging-equipment
ev_parts := [check_ref("certificate", "ccc", ""), check_ref("label", "ccc-mark", "")]

ev_met := true if {
	ev_parts[0].met
	ev_parts[1].met
} else := false

ev_evidence := {"met": ev_met, "notes": array.concat(ev_parts[0].notes, ev_parts[1].notes)}

ev_charging := outside([category_check("ev-charging-equipment")]) if {
	not lineage["ev-charging-equipment"]
} else := dated("2026-08-01", [category_check("ev-charging-equipment")], ev_evidence)

# ---- data-security.dsl-ciio-data-localisation
# `NAME is yes`: [condition, path, value, result]; left out is unknown.
yes_check(name) := [sprintf("%s is yes", [name]), concat(".", ["attributes", name]), "yes", "true"] if {
	input.attributes[name] == true
} else := [sprintf("%s is yes", [name]), concat(".", ["attributes", name]), "no", "false"] if {
	input.attributes[name] == false
} else := [sprintf("%s is yes", [name]), concat(".", ["attributes", name]), "none", "false"] if {
	input.attributes[name] == null
} else := [sprintf("%s is yes", [name]), concat(".", ["attributes", name]), null, "unknown"]

ciio_checks := [yes_check("is_ciio"), yes_check("processes_data_in_china")]

ciio_missing := [name |
	some name in ["is_ciio", "processes_data_in_china"]
	not has_key(input.attributes, name)
]

has_key(o, k) if _ = o[k]

# A condition of the scope is false (a rule of its own: see holds_check).
ciio_outside if {
	some c in ciio_checks
	c[3] == "false"
}

ciio := outside(ciio_checks) if {
	ciio_outside
} else := finding("needs-info", sprintf("the profile does not give %s", [concat(", ", ciio_missing)]), null, ciio_checks, ciio_missing, no_evidence) if {
	count(ciio_missing) > 0
} else := dated("2021-09-01", ciio_checks, check_ref("filing", "conformity-record", "Data Security Law"))

# ---- every finding, one object
finding_of := object.union(household_findings, {
	"ccc.ev-charging-equipment": ev_charging,
	"data-security.dsl-ciio-data-localisation": ciio,
})
