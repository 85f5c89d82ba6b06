-- Service directory (D1) in the Open Referral HSDS 3.0 model, and the HSDS
-- exchange (D2). Every table and column keeps its HSDS name (tables prefixed
-- hsds_); ids are the HSDS UUID strings as given. A text field that is absent
-- is stored as ''; a number that is absent is NULL. References between tables
-- are checked by the importer (internal/hsds), not by foreign keys, because
-- HSDS lets some of them name records held elsewhere (a location's or
-- contact's organization, a term's taxonomy).
CREATE TABLE hsds_organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    alternate_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    tax_status TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    year_incorporated DOUBLE PRECISION,
    legal_status TEXT NOT NULL DEFAULT '',
    logo TEXT NOT NULL DEFAULT '',
    uri TEXT NOT NULL DEFAULT '',
    parent_organization_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_organizations_name ON hsds_organizations (name);

CREATE TABLE hsds_programs (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    alternate_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_programs_organization ON hsds_programs (organization_id);

-- Rangkul's own columns on a service: modified_at (last_modified as a time,
-- or the time of the last write when last_modified is absent) for
-- modified_after; last_verified_at and curated_by for curation; cost_class,
-- online and in_person derived from cost options and locations for filters.
CREATE TABLE hsds_services (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL DEFAULT '',
    program_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    alternate_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    interpretation_services TEXT NOT NULL DEFAULT '',
    application_process TEXT NOT NULL DEFAULT '',
    fees_description TEXT NOT NULL DEFAULT '',
    wait_time TEXT NOT NULL DEFAULT '',
    fees TEXT NOT NULL DEFAULT '',
    accreditations TEXT NOT NULL DEFAULT '',
    eligibility_description TEXT NOT NULL DEFAULT '',
    minimum_age DOUBLE PRECISION,
    maximum_age DOUBLE PRECISION,
    assured_date TEXT NOT NULL DEFAULT '',
    assurer_email TEXT NOT NULL DEFAULT '',
    licenses TEXT NOT NULL DEFAULT '',
    alert TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    modified_at {{time}} NOT NULL,
    last_verified_at {{time}},
    curated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    cost_class TEXT NOT NULL DEFAULT '',
    online BOOLEAN NOT NULL DEFAULT FALSE,
    in_person BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX hsds_services_organization ON hsds_services (organization_id);
CREATE INDEX hsds_services_modified ON hsds_services (modified_at);
CREATE INDEX hsds_services_name ON hsds_services (name, id);
CREATE INDEX hsds_services_curated_by ON hsds_services (curated_by);

-- The search terms of a service (textkit.SearchTerms of its names,
-- description, organization, taxonomy terms and languages), in a table of
-- its own because db.SearchMatch needs an integer row id.
CREATE TABLE hsds_service_search (
    id {{id}},
    service_id TEXT NOT NULL UNIQUE,
    search_terms TEXT NOT NULL DEFAULT ''
);

CREATE TABLE hsds_locations (
    id TEXT PRIMARY KEY,
    location_type TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    organization_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    alternate_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    transportation TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    external_identifier TEXT NOT NULL DEFAULT '',
    external_identifier_type TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_locations_organization ON hsds_locations (organization_id) WHERE organization_id <> '';
-- Bounding-box prefilter for distance searches.
CREATE INDEX hsds_locations_position ON hsds_locations (latitude, longitude);

CREATE TABLE hsds_service_at_locations (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL DEFAULT '',
    location_id TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_sal_service ON hsds_service_at_locations (service_id);
CREATE INDEX hsds_sal_location ON hsds_service_at_locations (location_id, service_id);

CREATE TABLE hsds_addresses (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL DEFAULT '',
    attention TEXT NOT NULL DEFAULT '',
    address_1 TEXT NOT NULL DEFAULT '',
    address_2 TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    state_province TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    address_type TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_addresses_location ON hsds_addresses (location_id);
CREATE INDEX hsds_addresses_postal_code ON hsds_addresses (postal_code);

CREATE TABLE hsds_contacts (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL DEFAULT '',
    service_id TEXT NOT NULL DEFAULT '',
    service_at_location_id TEXT NOT NULL DEFAULT '',
    location_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_contacts_organization ON hsds_contacts (organization_id) WHERE organization_id <> '';
CREATE INDEX hsds_contacts_service ON hsds_contacts (service_id) WHERE service_id <> '';
CREATE INDEX hsds_contacts_sal ON hsds_contacts (service_at_location_id) WHERE service_at_location_id <> '';
CREATE INDEX hsds_contacts_location ON hsds_contacts (location_id) WHERE location_id <> '';

CREATE TABLE hsds_phones (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL DEFAULT '',
    service_id TEXT NOT NULL DEFAULT '',
    organization_id TEXT NOT NULL DEFAULT '',
    contact_id TEXT NOT NULL DEFAULT '',
    service_at_location_id TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL DEFAULT '',
    extension DOUBLE PRECISION,
    "type" TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_phones_location ON hsds_phones (location_id) WHERE location_id <> '';
CREATE INDEX hsds_phones_service ON hsds_phones (service_id) WHERE service_id <> '';
CREATE INDEX hsds_phones_organization ON hsds_phones (organization_id) WHERE organization_id <> '';
CREATE INDEX hsds_phones_contact ON hsds_phones (contact_id) WHERE contact_id <> '';
CREATE INDEX hsds_phones_sal ON hsds_phones (service_at_location_id) WHERE service_at_location_id <> '';

CREATE TABLE hsds_schedules (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL DEFAULT '',
    location_id TEXT NOT NULL DEFAULT '',
    service_at_location_id TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    dtstart TEXT NOT NULL DEFAULT '',
    "timezone" DOUBLE PRECISION,
    until TEXT NOT NULL DEFAULT '',
    "count" DOUBLE PRECISION,
    wkst TEXT NOT NULL DEFAULT '',
    freq TEXT NOT NULL DEFAULT '',
    "interval" DOUBLE PRECISION,
    byday TEXT NOT NULL DEFAULT '',
    byweekno TEXT NOT NULL DEFAULT '',
    bymonthday TEXT NOT NULL DEFAULT '',
    byyearday TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    opens_at TEXT NOT NULL DEFAULT '',
    closes_at TEXT NOT NULL DEFAULT '',
    schedule_link TEXT NOT NULL DEFAULT '',
    attending_type TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_schedules_service ON hsds_schedules (service_id) WHERE service_id <> '';
CREATE INDEX hsds_schedules_location ON hsds_schedules (location_id) WHERE location_id <> '';
CREATE INDEX hsds_schedules_sal ON hsds_schedules (service_at_location_id) WHERE service_at_location_id <> '';

CREATE TABLE hsds_funding (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL DEFAULT '',
    service_id TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_funding_organization ON hsds_funding (organization_id) WHERE organization_id <> '';
CREATE INDEX hsds_funding_service ON hsds_funding (service_id) WHERE service_id <> '';

CREATE TABLE hsds_service_areas (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    extent TEXT NOT NULL DEFAULT '',
    extent_type TEXT NOT NULL DEFAULT '',
    uri TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_service_areas_service ON hsds_service_areas (service_id);

CREATE TABLE hsds_required_documents (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL DEFAULT '',
    document TEXT NOT NULL DEFAULT '',
    uri TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_required_documents_service ON hsds_required_documents (service_id);

CREATE TABLE hsds_languages (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL DEFAULT '',
    location_id TEXT NOT NULL DEFAULT '',
    phone_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_languages_service ON hsds_languages (service_id) WHERE service_id <> '';
CREATE INDEX hsds_languages_location ON hsds_languages (location_id) WHERE location_id <> '';
CREATE INDEX hsds_languages_phone ON hsds_languages (phone_id) WHERE phone_id <> '';
CREATE INDEX hsds_languages_code ON hsds_languages (code, service_id);

CREATE TABLE hsds_accessibility (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_accessibility_location ON hsds_accessibility (location_id);

CREATE TABLE hsds_cost_options (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    "option" TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT '',
    amount DOUBLE PRECISION,
    amount_description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_cost_options_service ON hsds_cost_options (service_id);

CREATE TABLE hsds_organization_identifiers (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL DEFAULT '',
    identifier_scheme TEXT NOT NULL DEFAULT '',
    identifier_type TEXT NOT NULL DEFAULT '',
    identifier TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_organization_identifiers_organization ON hsds_organization_identifiers (organization_id);

CREATE TABLE hsds_taxonomies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    uri TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT ''
);

CREATE TABLE hsds_taxonomy_terms (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    parent_id TEXT NOT NULL DEFAULT '',
    taxonomy TEXT NOT NULL DEFAULT '',
    "language" TEXT NOT NULL DEFAULT '',
    taxonomy_id TEXT NOT NULL DEFAULT '',
    term_uri TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_taxonomy_terms_taxonomy ON hsds_taxonomy_terms (taxonomy_id);
CREATE INDEX hsds_taxonomy_terms_parent ON hsds_taxonomy_terms (parent_id);

-- Attributes tie a taxonomy term to any record (link_id); a service's terms
-- are the attributes whose link_id is the service.
CREATE TABLE hsds_attributes (
    id TEXT PRIMARY KEY,
    link_id TEXT NOT NULL DEFAULT '',
    taxonomy_term_id TEXT NOT NULL DEFAULT '',
    link_type TEXT NOT NULL DEFAULT '',
    link_entity TEXT NOT NULL DEFAULT '',
    "value" TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_attributes_link ON hsds_attributes (link_id);
CREATE INDEX hsds_attributes_term ON hsds_attributes (taxonomy_term_id, link_id);

CREATE TABLE hsds_metadata (
    id TEXT PRIMARY KEY,
    resource_id TEXT NOT NULL DEFAULT '',
    resource_type TEXT NOT NULL DEFAULT '',
    last_action_date TEXT NOT NULL DEFAULT '',
    last_action_type TEXT NOT NULL DEFAULT '',
    field_name TEXT NOT NULL DEFAULT '',
    previous_value TEXT NOT NULL DEFAULT '',
    replacement_value TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hsds_metadata_resource ON hsds_metadata (resource_id);

CREATE TABLE hsds_meta_table_descriptions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    "language" TEXT NOT NULL DEFAULT '',
    character_set TEXT NOT NULL DEFAULT ''
);

-- The full-text index of hsds_service_search is migration 0028.
