/**
 * The STIX 2.1 cyber-observable object types, their properties and their predefined extensions
 * (STIX 2.1 section 6; checked against the oasis-open/cti-stix2-json-schemas observables schemas).
 * Data only, one record per type; used to warn about object paths that can never resolve.
 */

export interface PropertyShape {
  /** For `*_ref` / `*_refs`: the object types it may point at ('*' for any SCO). */
  readonly refersTo?: readonly string[];
  /** A sub-object, or a list of sub-objects, with its own properties. */
  readonly properties?: PropertyTable;
  /** A dictionary whose keys are free (hashes, environment_variables, …). */
  readonly dictionary?: true;
}

export type PropertyTable = Readonly<Record<string, PropertyShape>>;

export interface ScoTypeRecord {
  readonly type: string;
  readonly properties: PropertyTable;
  /** The predefined extensions of the type, by name, with their properties. */
  readonly extensions?: Readonly<Record<string, PropertyTable>>;
}

const scalar: PropertyShape = {};
const dictionary: PropertyShape = { dictionary: true };

function ref(...types: string[]): PropertyShape {
  return { refersTo: types };
}

function nested(properties: PropertyTable): PropertyShape {
  return { properties };
}

/** Space-separated names of plain (scalar or list-of-scalar) properties. */
function scalars(names: string): Record<string, PropertyShape> {
  return Object.fromEntries(names.split(' ').map((name) => [name, scalar]));
}

/** Properties every SCO has (STIX 2.1 section 3.2 and 6); `extensions` is handled on its own. */
export const commonScoProperties: PropertyTable = {
  ...scalars('type id spec_version defanged'),
  object_marking_refs: ref('marking-definition'),
  granular_markings: nested({ ...scalars('lang selectors'), marking_ref: ref('marking-definition') }),
  extensions: dictionary,
};

const ADDRESS_TYPES = ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'];

const peOptionalHeader = nested({
  ...scalars(
    'magic_hex major_linker_version minor_linker_version size_of_code size_of_initialized_data ' +
      'size_of_uninitialized_data address_of_entry_point base_of_code base_of_data image_base ' +
      'section_alignment file_alignment major_os_version minor_os_version major_image_version ' +
      'minor_image_version major_subsystem_version minor_subsystem_version win32_version_value_hex ' +
      'size_of_image size_of_headers checksum_hex subsystem_hex dll_characteristics_hex ' +
      'size_of_stack_reserve size_of_stack_commit size_of_heap_reserve size_of_heap_commit ' +
      'loader_flags_hex number_of_rva_and_sizes',
  ),
  hashes: dictionary,
});

export const stix21ScoTypes: readonly ScoTypeRecord[] = [
  {
    type: 'artifact',
    properties: {
      ...scalars('mime_type payload_bin url encryption_algorithm decryption_key'),
      hashes: dictionary,
    },
  },
  { type: 'autonomous-system', properties: scalars('number name rir') },
  {
    type: 'directory',
    properties: { ...scalars('path path_enc ctime mtime atime'), contains_refs: ref('file', 'directory') },
  },
  {
    type: 'domain-name',
    properties: { value: scalar, resolves_to_refs: ref('ipv4-addr', 'ipv6-addr', 'domain-name') },
  },
  {
    type: 'email-addr',
    properties: { ...scalars('value display_name'), belongs_to_ref: ref('user-account') },
  },
  {
    type: 'email-message',
    properties: {
      ...scalars('is_multipart date content_type message_id subject received_lines body'),
      from_ref: ref('email-addr'),
      sender_ref: ref('email-addr'),
      to_refs: ref('email-addr'),
      cc_refs: ref('email-addr'),
      bcc_refs: ref('email-addr'),
      additional_header_fields: dictionary,
      body_multipart: nested({
        ...scalars('body content_type content_disposition'),
        body_raw_ref: ref('artifact', 'file'),
      }),
      raw_email_ref: ref('artifact'),
    },
  },
  {
    type: 'file',
    properties: {
      ...scalars('size name name_enc magic_number_hex mime_type ctime mtime atime'),
      hashes: dictionary,
      parent_directory_ref: ref('directory'),
      contains_refs: ref('*'),
      content_ref: ref('artifact'),
    },
    extensions: {
      'archive-ext': { contains_refs: ref('file', 'directory'), comment: scalar },
      'ntfs-ext': {
        sid: scalar,
        alternate_data_streams: nested({ ...scalars('name size'), hashes: dictionary }),
      },
      'pdf-ext': { ...scalars('version is_optimized pdfid0 pdfid1'), document_info_dict: dictionary },
      'raster-image-ext': { ...scalars('image_height image_width bits_per_pixel'), exif_tags: dictionary },
      'windows-pebinary-ext': {
        ...scalars(
          'pe_type imphash machine_hex number_of_sections time_date_stamp pointer_to_symbol_table_hex ' +
            'number_of_symbols size_of_optional_header characteristics_hex',
        ),
        file_header_hashes: dictionary,
        optional_header: peOptionalHeader,
        sections: nested({ ...scalars('name size entropy'), hashes: dictionary }),
      },
    },
  },
  {
    type: 'ipv4-addr',
    properties: {
      value: scalar,
      resolves_to_refs: ref('mac-addr'),
      belongs_to_refs: ref('autonomous-system'),
    },
  },
  {
    type: 'ipv6-addr',
    properties: {
      value: scalar,
      resolves_to_refs: ref('mac-addr'),
      belongs_to_refs: ref('autonomous-system'),
    },
  },
  { type: 'mac-addr', properties: { value: scalar } },
  { type: 'mutex', properties: { name: scalar } },
  {
    type: 'network-traffic',
    properties: {
      ...scalars(
        'start end is_active src_port dst_port protocols src_byte_count dst_byte_count src_packets dst_packets',
      ),
      src_ref: ref(...ADDRESS_TYPES),
      dst_ref: ref(...ADDRESS_TYPES),
      ipfix: dictionary,
      src_payload_ref: ref('artifact'),
      dst_payload_ref: ref('artifact'),
      encapsulates_refs: ref('network-traffic'),
      encapsulated_by_ref: ref('network-traffic'),
    },
    extensions: {
      'http-request-ext': {
        ...scalars('request_method request_value request_version message_body_length'),
        request_header: dictionary,
        message_body_data_ref: ref('artifact'),
      },
      'icmp-ext': scalars('icmp_type_hex icmp_code_hex'),
      'socket-ext': {
        ...scalars('address_family is_blocking is_listening socket_type socket_descriptor socket_handle'),
        options: dictionary,
      },
      'tcp-ext': scalars('src_flags_hex dst_flags_hex'),
    },
  },
  {
    type: 'process',
    properties: {
      ...scalars('is_hidden pid created_time cwd command_line'),
      environment_variables: dictionary,
      opened_connection_refs: ref('network-traffic'),
      creator_user_ref: ref('user-account'),
      image_ref: ref('file'),
      parent_ref: ref('process'),
      child_refs: ref('process'),
    },
    extensions: {
      'windows-process-ext': {
        ...scalars('aslr_enabled dep_enabled priority owner_sid window_title integrity_level'),
        startup_info: dictionary,
      },
      'windows-service-ext': {
        ...scalars(
          'service_name descriptions display_name group_name start_type service_type service_status',
        ),
        service_dll_refs: ref('file'),
      },
    },
  },
  { type: 'software', properties: scalars('name cpe swid languages vendor version') },
  { type: 'url', properties: { value: scalar } },
  {
    type: 'user-account',
    properties: scalars(
      'user_id credential account_login account_type display_name is_service_account is_privileged ' +
        'can_escalate_privs is_disabled account_created account_expires credential_last_changed ' +
        'account_first_login account_last_login',
    ),
    extensions: { 'unix-account-ext': scalars('gid groups home_dir shell') },
  },
  {
    type: 'windows-registry-key',
    properties: {
      ...scalars('key modified_time number_of_subkeys'),
      values: nested(scalars('name data data_type')),
      creator_user_ref: ref('user-account'),
    },
  },
  {
    type: 'x509-certificate',
    properties: {
      ...scalars(
        'is_self_signed version serial_number signature_algorithm issuer validity_not_before ' +
          'validity_not_after subject subject_public_key_algorithm subject_public_key_modulus ' +
          'subject_public_key_exponent',
      ),
      hashes: dictionary,
      x509_v3_extensions: nested(
        scalars(
          'basic_constraints name_constraints policy_constraints key_usage extended_key_usage ' +
            'subject_key_identifier authority_key_identifier subject_alternative_name ' +
            'issuer_alternative_name subject_directory_attributes crl_distribution_points ' +
            'inhibit_any_policy private_key_usage_period_not_before private_key_usage_period_not_after ' +
            'certificate_policies policy_mappings',
        ),
      ),
    },
  },
];

const byType: ReadonlyMap<string, ScoTypeRecord> = new Map(
  stix21ScoTypes.map((record) => [record.type, record]),
);

export function scoTypeRecord(type: string): ScoTypeRecord | undefined {
  return byType.get(type);
}

/**
 * Object types this project and common practice define outside the specification: `x-…` (custom objects)
 * and `kubernetes-…` (the observe stage's new SCOs). Paths on them are never questioned.
 */
export function isCustomObjectType(type: string): boolean {
  return type.startsWith('x-') || type.startsWith('kubernetes-');
}

/** Custom properties (`x_…`) and custom extensions (`extension-definition--…`, `x-…`) are never questioned. */
export function isCustomPropertyName(name: string): boolean {
  return name.startsWith('x_');
}

export function isCustomExtensionName(name: string): boolean {
  return name.startsWith('extension-definition--') || name.startsWith('x-');
}
