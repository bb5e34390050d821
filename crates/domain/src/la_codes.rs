//! DfE three-digit local authority codes for English local authorities with
//! children's services responsibilities.
//!
//! Source: Department for Education, "Local authority codes" as published in
//! Get Information about Schools (GIAS, <https://get-information-schools.service.gov.uk>)
//! and used in the SSDA903 (children looked after) and children in need
//! census returns. Names follow the GIAS spelling (for example
//! "Bristol, City of", "St. Helens").
//!
//! The table is current as of 2025 and holds **153** authorities: the 33
//! London authorities (including the City of London), 36 metropolitan
//! districts, 63 unitary authorities (including the Isles of Scilly) and 21
//! county councils. It reflects the recent reorganisations:
//!
//! * 2019: 838 Dorset and 839 Bournemouth, Christchurch and Poole replace
//!   835 Dorset, 836 Poole and 837 Bournemouth;
//! * 2020: 825 Buckinghamshire becomes a unitary (same code);
//! * 2021: 940 North Northamptonshire and 941 West Northamptonshire replace
//!   928 Northamptonshire;
//! * 2023: 942 Cumberland and 943 Westmorland and Furness replace
//!   909 Cumbria; 815 North Yorkshire and 933 Somerset become unitaries
//!   (same codes).
//!
//! Retired codes (such as 909 or 928) and Welsh codes (6xx) are deliberately
//! absent: [`is_la_code`] answers "is this a current English children's
//! services authority?".

/// Every current DfE local authority code with its name, as `(code, name)`,
/// sorted by code. 153 entries.
pub const LA_CODES: &[(&str, &str)] = &[
    // Inner London
    ("201", "City of London"),
    ("202", "Camden"),
    ("203", "Greenwich"),
    ("204", "Hackney"),
    ("205", "Hammersmith and Fulham"),
    ("206", "Islington"),
    ("207", "Kensington and Chelsea"),
    ("208", "Lambeth"),
    ("209", "Lewisham"),
    ("210", "Southwark"),
    ("211", "Tower Hamlets"),
    ("212", "Wandsworth"),
    ("213", "Westminster"),
    // Outer London
    ("301", "Barking and Dagenham"),
    ("302", "Barnet"),
    ("303", "Bexley"),
    ("304", "Brent"),
    ("305", "Bromley"),
    ("306", "Croydon"),
    ("307", "Ealing"),
    ("308", "Enfield"),
    ("309", "Haringey"),
    ("310", "Harrow"),
    ("311", "Havering"),
    ("312", "Hillingdon"),
    ("313", "Hounslow"),
    ("314", "Kingston upon Thames"),
    ("315", "Merton"),
    ("316", "Newham"),
    ("317", "Redbridge"),
    ("318", "Richmond upon Thames"),
    ("319", "Sutton"),
    ("320", "Waltham Forest"),
    // Metropolitan districts
    ("330", "Birmingham"),
    ("331", "Coventry"),
    ("332", "Dudley"),
    ("333", "Sandwell"),
    ("334", "Solihull"),
    ("335", "Walsall"),
    ("336", "Wolverhampton"),
    ("340", "Knowsley"),
    ("341", "Liverpool"),
    ("342", "St. Helens"),
    ("343", "Sefton"),
    ("344", "Wirral"),
    ("350", "Bolton"),
    ("351", "Bury"),
    ("352", "Manchester"),
    ("353", "Oldham"),
    ("354", "Rochdale"),
    ("355", "Salford"),
    ("356", "Stockport"),
    ("357", "Tameside"),
    ("358", "Trafford"),
    ("359", "Wigan"),
    ("370", "Barnsley"),
    ("371", "Doncaster"),
    ("372", "Rotherham"),
    ("373", "Sheffield"),
    ("380", "Bradford"),
    ("381", "Calderdale"),
    ("382", "Kirklees"),
    ("383", "Leeds"),
    ("384", "Wakefield"),
    ("390", "Gateshead"),
    ("391", "Newcastle upon Tyne"),
    ("392", "North Tyneside"),
    ("393", "South Tyneside"),
    ("394", "Sunderland"),
    // Isles of Scilly
    ("420", "Isles of Scilly"),
    // Unitary authorities and counties
    ("800", "Bath and North East Somerset"),
    ("801", "Bristol, City of"),
    ("802", "North Somerset"),
    ("803", "South Gloucestershire"),
    ("805", "Hartlepool"),
    ("806", "Middlesbrough"),
    ("807", "Redcar and Cleveland"),
    ("808", "Stockton-on-Tees"),
    ("810", "Kingston upon Hull, City of"),
    ("811", "East Riding of Yorkshire"),
    ("812", "North East Lincolnshire"),
    ("813", "North Lincolnshire"),
    ("815", "North Yorkshire"),
    ("816", "York"),
    ("821", "Luton"),
    ("822", "Bedford"),
    ("823", "Central Bedfordshire"),
    ("825", "Buckinghamshire"),
    ("826", "Milton Keynes"),
    ("830", "Derbyshire"),
    ("831", "Derby"),
    ("838", "Dorset"),
    ("839", "Bournemouth, Christchurch and Poole"),
    ("840", "County Durham"),
    ("841", "Darlington"),
    ("845", "East Sussex"),
    ("846", "Brighton and Hove"),
    ("850", "Hampshire"),
    ("851", "Portsmouth"),
    ("852", "Southampton"),
    ("855", "Leicestershire"),
    ("856", "Leicester"),
    ("857", "Rutland"),
    ("860", "Staffordshire"),
    ("861", "Stoke-on-Trent"),
    ("865", "Wiltshire"),
    ("866", "Swindon"),
    ("867", "Bracknell Forest"),
    ("868", "Windsor and Maidenhead"),
    ("869", "West Berkshire"),
    ("870", "Reading"),
    ("871", "Slough"),
    ("872", "Wokingham"),
    ("873", "Cambridgeshire"),
    ("874", "Peterborough"),
    ("876", "Halton"),
    ("877", "Warrington"),
    ("878", "Devon"),
    ("879", "Plymouth"),
    ("880", "Torbay"),
    ("881", "Essex"),
    ("882", "Southend-on-Sea"),
    ("883", "Thurrock"),
    ("884", "Herefordshire, County of"),
    ("885", "Worcestershire"),
    ("886", "Kent"),
    ("887", "Medway"),
    ("888", "Lancashire"),
    ("889", "Blackburn with Darwen"),
    ("890", "Blackpool"),
    ("891", "Nottinghamshire"),
    ("892", "Nottingham"),
    ("893", "Shropshire"),
    ("894", "Telford and Wrekin"),
    ("895", "Cheshire East"),
    ("896", "Cheshire West and Chester"),
    ("908", "Cornwall"),
    ("916", "Gloucestershire"),
    ("919", "Hertfordshire"),
    ("921", "Isle of Wight"),
    ("925", "Lincolnshire"),
    ("926", "Norfolk"),
    ("929", "Northumberland"),
    ("931", "Oxfordshire"),
    ("933", "Somerset"),
    ("935", "Suffolk"),
    ("936", "Surrey"),
    ("937", "Warwickshire"),
    ("938", "West Sussex"),
    ("940", "North Northamptonshire"),
    ("941", "West Northamptonshire"),
    ("942", "Cumberland"),
    ("943", "Westmorland and Furness"),
];

/// The name of the local authority with DfE code `code` (e.g. `"861"` →
/// `"Stoke-on-Trent"`), or `None` if `code` is not a current code.
///
/// Leading/trailing whitespace is ignored; the code must otherwise be exactly
/// three digits.
pub fn la_name(code: &str) -> Option<&'static str> {
    let code = code.trim();
    LA_CODES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| LA_CODES[i].1)
}

/// Whether `code` is a current DfE local authority code in [`LA_CODES`].
pub fn is_la_code(code: &str) -> bool {
    la_name(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn la_codes_has_153_entries() {
        assert_eq!(LA_CODES.len(), 153);
    }

    #[test]
    fn la_codes_are_three_digits_sorted_and_unique() {
        for (code, name) in LA_CODES {
            assert_eq!(code.len(), 3, "{code}");
            assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
            assert!(!name.is_empty() && name.trim() == *name, "{code}: {name:?}");
        }
        assert!(
            LA_CODES.windows(2).all(|w| w[0].0 < w[1].0),
            "not strictly sorted"
        );
        let names: BTreeSet<_> = LA_CODES.iter().map(|(_, n)| *n).collect();
        assert_eq!(names.len(), LA_CODES.len(), "duplicate name");
    }

    #[test]
    fn la_codes_known_pairs() {
        let cases = [
            ("201", "City of London"),
            ("202", "Camden"),
            ("330", "Birmingham"),
            ("341", "Liverpool"),
            ("383", "Leeds"),
            ("420", "Isles of Scilly"),
            ("815", "North Yorkshire"),
            ("860", "Staffordshire"),
            ("861", "Stoke-on-Trent"),
            ("933", "Somerset"),
            ("940", "North Northamptonshire"),
            ("941", "West Northamptonshire"),
            ("942", "Cumberland"),
            ("943", "Westmorland and Furness"),
        ];
        for (code, name) in cases {
            assert_eq!(la_name(code), Some(name), "{code}");
            assert!(is_la_code(code));
        }
        assert_eq!(la_name(" 861 "), Some("Stoke-on-Trent"));
    }

    #[test]
    fn la_codes_reject_retired_welsh_and_malformed() {
        // 909 Cumbria, 928 Northamptonshire, 835-837 pre-2019 Dorset/Poole/
        // Bournemouth, 875 pre-2009 Cheshire, 681 Cardiff (Wales).
        for code in [
            "909", "928", "835", "836", "837", "875", "681", "", "86", "8610", "abc",
        ] {
            assert!(!is_la_code(code), "{code:?}");
            assert_eq!(la_name(code), None);
        }
    }
}
