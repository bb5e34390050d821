//! Real postcodes (ONS Postcode Directory, Open Government Licence, as
//! shipped in the DfE validator's reference data) for the demo's postcode
//! districts, so the SSDA903 export of the demo authority carries postcodes
//! the DfE rules recognise (rule 392c) and can place (PL_LA, distance).

/// District (outward code) to real full postcodes in it.
pub const REAL_POSTCODES: &[(&str, &[&str])] = &[
    (
        "B11",
        &[
            "B11 1AA", "B11 1DN", "B11 1JR", "B11 1NU", "B11 1QZ", "B11 1TZ", "B11 1XZ", "B11 2BX",
            "B11 2FD", "B11 2LP", "B11 2QA", "B11 3AE", "B11 3DL", "B11 3FS", "B11 3LD", "B11 3PP",
            "B11 3RX", "B11 4AN", "B11 4EB", "B11 4JG", "B11 4NL", "B11 4RD", "B11 9AQ", "B11 9DT",
        ],
    ),
    (
        "B23",
        &[
            "B23 3AA", "B23 3DS", "B23 3GH", "B23 3JY", "B23 3PP", "B23 5BJ", "B23 5FD", "B23 5HT",
            "B23 5NH", "B23 5QY", "B23 5TP", "B23 5XP", "B23 6AU", "B23 6EL", "B23 6JA", "B23 6NT",
            "B23 6RJ", "B23 6UE", "B23 7AW", "B23 7EU", "B23 7JP", "B23 7PG", "B23 7RX", "B23 7UP",
        ],
    ),
    (
        "B31",
        &[
            "B31 1AA", "B31 1EF", "B31 1LD", "B31 1QS", "B31 1UH", "B31 2DA", "B31 2GF", "B31 2LH",
            "B31 2QQ", "B31 2TU", "B31 2YU", "B31 3DY", "B31 3LT", "B31 3RA", "B31 3UH", "B31 4BJ",
            "B31 4HW", "B31 4PA", "B31 4SH", "B31 5AS", "B31 5EW", "B31 5JT", "B31 5QU", "B31 9BU",
        ],
    ),
    (
        "B36",
        &[
            "B36 0AA", "B36 0BP", "B36 0EL", "B36 0JG", "B36 0LW", "B36 0PP", "B36 0RD", "B36 0SQ",
            "B36 0UA", "B36 8AQ", "B36 8DF", "B36 8HA", "B36 8JN", "B36 8LZ", "B36 8PT", "B36 8RG",
            "B36 8TD", "B36 8UT", "B36 9AT", "B36 9DL", "B36 9EX", "B36 9JQ", "B36 9NA", "B36 9SH",
        ],
    ),
    (
        "B37",
        &[
            "B37 5AA", "B37 5DA", "B37 5EZ", "B37 5JT", "B37 5NT", "B37 5RD", "B37 5UD", "B37 6BT",
            "B37 6EZ", "B37 6LH", "B37 6PG", "B37 6RR", "B37 6TX", "B37 7AY", "B37 7DY", "B37 7GB",
            "B37 7JA", "B37 7LZ", "B37 7PY", "B37 7RX", "B37 7TW", "B37 7WZ", "B37 7ZG", "B37 9BU",
        ],
    ),
    (
        "B44",
        &[
            "B44 0AA", "B44 0BT", "B44 0EL", "B44 0JB", "B44 0LW", "B44 0PT", "B44 0RN", "B44 0TE",
            "B44 0XA", "B44 8AZ", "B44 8EA", "B44 8HT", "B44 8LQ", "B44 8PF", "B44 8RB", "B44 8SY",
            "B44 8WB", "B44 9BL", "B44 9ED", "B44 9HU", "B44 9LT", "B44 9PQ", "B44 9RU", "B44 9TP",
        ],
    ),
    (
        "B79",
        &[
            "B79 0AA", "B79 0BX", "B79 0ES", "B79 0GZ", "B79 0JU", "B79 0PA", "B79 7BE", "B79 7EA",
            "B79 7HD", "B79 7JY", "B79 7NZ", "B79 7RA", "B79 7SY", "B79 7UT", "B79 7YD", "B79 8BG",
            "B79 8ED", "B79 8HS", "B79 8LW", "B79 8PW", "B79 8RU", "B79 8UB", "B79 9BT", "B79 9EX",
        ],
    ),
    (
        "B8",
        &[
            "B8 1AA", "B8 1BU", "B8 1EP", "B8 1JE", "B8 1ND", "B8 1PT", "B8 1RQ", "B8 1TP",
            "B8 2AW", "B8 2DP", "B8 2HH", "B8 2LB", "B8 2PB", "B8 2QY", "B8 2SQ", "B8 2UN",
            "B8 2YA", "B8 3AU", "B8 3DL", "B8 3FF", "B8 3JN", "B8 3NF", "B8 3QD", "B8 3RZ",
        ],
    ),
    (
        "B91",
        &[
            "B91 1AA", "B91 1EA", "B91 1JN", "B91 1PL", "B91 1SJ", "B91 1XN", "B91 2DJ", "B91 2HE",
            "B91 2ND", "B91 2RB", "B91 2UA", "B91 3AW", "B91 3EW", "B91 3HW", "B91 3NU", "B91 3RT",
            "B91 3US", "B91 3YR", "B91 9BS", "B91 9FR", "B91 9JR", "B91 9PR", "B91 9SR", "B91 9WX",
        ],
    ),
    (
        "CV1",
        &[
            "CV1 1AA", "CV1 1FQ", "CV1 1JZ", "CV1 1QQ", "CV1 2BH", "CV1 2FQ", "CV1 2JW", "CV1 2PZ",
            "CV1 2TS", "CV1 2ZB", "CV1 3DH", "CV1 3HE", "CV1 3NZ", "CV1 4AL", "CV1 4ER", "CV1 4HU",
            "CV1 4NY", "CV1 4ZD", "CV1 5DJ", "CV1 5HG", "CV1 5NX", "CV1 5SB", "CV1 5ZB", "CV1 9DH",
        ],
    ),
    (
        "CV2",
        &[
            "CV2 1AA", "CV2 1EG", "CV2 1HN", "CV2 1NS", "CV2 1RX", "CV2 1WB", "CV2 2BP", "CV2 2FU",
            "CV2 2JZ", "CV2 2QE", "CV2 2TJ", "CV2 2ZS", "CV2 3DY", "CV2 3HD", "CV2 3NH", "CV2 3YQ",
            "CV2 4DQ", "CV2 4GU", "CV2 4LZ", "CV2 4RE", "CV2 4YY", "CV2 5DF", "CV2 5GN", "CV2 5LS",
        ],
    ),
    (
        "CV6",
        &[
            "CV6 1AA", "CV6 1FP", "CV6 1LY", "CV6 1ZZ", "CV6 2FL", "CV6 2LW", "CV6 3AX", "CV6 3GH",
            "CV6 4AQ", "CV6 4GA", "CV6 4NL", "CV6 5AE", "CV6 5FR", "CV6 5NA", "CV6 5SL", "CV6 5ZZ",
            "CV6 6FL", "CV6 6LW", "CV6 6YG", "CV6 7EA", "CV6 7JL", "CV6 7YN", "CV6 9EX", "CV6 9LH",
        ],
    ),
    (
        "CW1",
        &[
            "CW1 1AA", "CW1 1FN", "CW1 1LX", "CW1 1SF", "CW1 1XS", "CW1 2DJ", "CW1 2LN", "CW1 3BH",
            "CW1 3GS", "CW1 3PA", "CW1 3TJ", "CW1 3YU", "CW1 4EL", "CW1 4JU", "CW1 4RE", "CW1 4XB",
            "CW1 5GP", "CW1 5PQ", "CW1 5TZ", "CW1 6BW", "CW1 6HH", "CW1 6YG", "CW1 9DW", "CW1 9JF",
        ],
    ),
    (
        "CW11",
        &[
            "CW11 0AA", "CW11 0EX", "CW11 0LH", "CW11 0RG", "CW11 0WF", "CW11 1AS", "CW11 1FP",
            "CW11 1LG", "CW11 1WH", "CW11 2FD", "CW11 2UX", "CW11 3DH", "CW11 3HD", "CW11 3NY",
            "CW11 3SU", "CW11 4AW", "CW11 4JJ", "CW11 4RR", "CW11 4YG", "CW11 5EP", "CW11 9DJ",
            "CW11 9HX", "CW11 9PR", "CW11 9TL",
        ],
    ),
    (
        "CW2",
        &[
            "CW2 5AA", "CW2 5DU", "CW2 5GL", "CW2 5LB", "CW2 5PT", "CW2 5SL", "CW2 5WF", "CW2 6AR",
            "CW2 6EH", "CW2 6HA", "CW2 6LW", "CW2 6QP", "CW2 6TF", "CW2 6XJ", "CW2 7DH", "CW2 7HQ",
            "CW2 7NL", "CW2 7RL", "CW2 7WW", "CW2 8DL", "CW2 8GB", "CW2 8LA", "CW2 8PS", "CW2 8SH",
        ],
    ),
    (
        "DE14",
        &[
            "DE14 1AA", "DE14 1DX", "DE14 1JP", "DE14 1PR", "DE14 1SH", "DE14 1XU", "DE14 2AY",
            "DE14 2ES", "DE14 2HW", "DE14 2NR", "DE14 2RH", "DE14 2WW", "DE14 3BF", "DE14 3EZ",
            "DE14 3HW", "DE14 3NP", "DE14 3RF", "DE14 3TY", "DE14 3XS", "DE14 9AT", "DE14 9EL",
            "DE14 9HF", "DE14 9LZ", "DE14 9QS",
        ],
    ),
    (
        "DY1",
        &[
            "DY1 1AA", "DY1 1HN", "DY1 1NH", "DY1 1RD", "DY1 1YP", "DY1 2DD", "DY1 2GX", "DY1 2LS",
            "DY1 2QS", "DY1 2TE", "DY1 2YH", "DY1 3DA", "DY1 3HU", "DY1 3NP", "DY1 3RG", "DY1 3TZ",
            "DY1 4BN", "DY1 4FF", "DY1 4NJ", "DY1 4SF", "DY1 9BA", "DY1 9EP", "DY1 9HA", "DY1 9LQ",
        ],
    ),
    (
        "DY2",
        &[
            "DY2 0AA", "DY2 0DH", "DY2 0HP", "DY2 0LR", "DY2 0PU", "DY2 0SH", "DY2 0UP", "DY2 0YT",
            "DY2 7BY", "DY2 7HJ", "DY2 7LT", "DY2 7QE", "DY2 7TS", "DY2 8BB", "DY2 8EY", "DY2 8ND",
            "DY2 8QH", "DY2 8SS", "DY2 8WR", "DY2 9BL", "DY2 9HD", "DY2 9LE", "DY2 9PL", "DY2 9SA",
        ],
    ),
    (
        "DY5",
        &[
            "DY5 1AA", "DY5 1FX", "DY5 1JP", "DY5 1QN", "DY5 1TR", "DY5 1YF", "DY5 2BW", "DY5 2GG",
            "DY5 2JY", "DY5 2PN", "DY5 2SA", "DY5 2UQ", "DY5 2YJ", "DY5 3DG", "DY5 3GU", "DY5 3LH",
            "DY5 3PX", "DY5 3SL", "DY5 3UZ", "DY5 3YP", "DY5 4DD", "DY5 4JG", "DY5 4QG", "DY5 4TY",
        ],
    ),
    (
        "L11",
        &[
            "L11 0AA", "L11 0BR", "L11 0ED", "L11 1AZ", "L11 1DL", "L11 1EX", "L11 1JH", "L11 2AQ",
            "L11 2SW", "L11 2UJ", "L11 2XQ", "L11 3AB", "L11 3BQ", "L11 3EA", "L11 4RN", "L11 4SY",
            "L11 4UJ", "L11 5AU", "L11 6LF", "L11 7AA", "L11 7BQ", "L11 8LE", "L11 8NR", "L11 9AW",
        ],
    ),
    (
        "L4",
        &[
            "L4 0RA", "L4 0SY", "L4 1AH", "L4 1SJ", "L4 1XG", "L4 2QX", "L4 2SU", "L4 2US",
            "L4 3RG", "L4 3TE", "L4 4AZ", "L4 4EJ", "L4 4LS", "L4 4QL", "L4 5QF", "L4 5SE",
            "L4 5UB", "L4 6SF", "L4 6UD", "L4 7TH", "L4 7XF", "L4 8TE", "L4 9RE", "L4 9TD",
        ],
    ),
    (
        "L6",
        &[
            "L6 0AA", "L6 0BL", "L6 1AE", "L6 1DE", "L6 1HS", "L6 1LP", "L6 1PA", "L6 2AY",
            "L6 2HN", "L6 2LP", "L6 2NZ", "L6 3AF", "L6 3BS", "L6 4BA", "L6 4DJ", "L6 4ET",
            "L6 5BN", "L6 5HS", "L6 5LH", "L6 6AJ", "L6 6BX", "L6 7UP", "L6 8PB", "L6 9BZ",
        ],
    ),
    (
        "L8",
        &[
            "L8 0AB", "L8 0RT", "L8 0TU", "L8 0YB", "L8 1XD", "L8 2TQ", "L8 2YD", "L8 3TP",
            "L8 4PY", "L8 4TG", "L8 4XP", "L8 5RB", "L8 5TB", "L8 5WZ", "L8 6QS", "L8 6SY",
            "L8 6XD", "L8 7LU", "L8 7PY", "L8 7ST", "L8 8BU", "L8 8HP", "L8 8LY", "L8 9TF",
        ],
    ),
    (
        "LS11",
        &[
            "LS11 0AA", "LS11 0ER", "LS11 0LY", "LS11 1BJ", "LS11 1FT", "LS11 5BG", "LS11 5HE",
            "LS11 5NN", "LS11 5RT", "LS11 5WA", "LS11 6AZ", "LS11 6HA", "LS11 6NH", "LS11 7AA",
            "LS11 7EJ", "LS11 7LU", "LS11 8AG", "LS11 8EP", "LS11 8LT", "LS11 8SG", "LS11 8YB",
            "LS11 9DZ", "LS11 9NL", "LS11 9SB",
        ],
    ),
    (
        "LS14",
        &[
            "LS14 1AA", "LS14 1DW", "LS14 1HB", "LS14 1LX", "LS14 1XL", "LS14 2BZ", "LS14 2HE",
            "LS14 3AJ", "LS14 3EE", "LS14 3JD", "LS14 5AB", "LS14 5DX", "LS14 5JF", "LS14 5PA",
            "LS14 6AP", "LS14 6EH", "LS14 6HF", "LS14 6NA", "LS14 6QW", "LS14 6TR", "LS14 6XL",
            "LS14 9AX", "LS14 9EU", "LS14 9HR",
        ],
    ),
    (
        "LS9",
        &[
            "LS9 0AA", "LS9 0DU", "LS9 0HY", "LS9 0NS", "LS9 0RL", "LS9 0XE", "LS9 6AH", "LS9 6EB",
            "LS9 6JN", "LS9 6PF", "LS9 6RZ", "LS9 6XY", "LS9 7DN", "LS9 7LB", "LS9 7PZ", "LS9 7SY",
            "LS9 7XP", "LS9 8BW", "LS9 8FQ", "LS9 8LA", "LS9 8QN", "LS9 8US", "LS9 9DH", "LS9 9JD",
        ],
    ),
    (
        "PR1",
        &[
            "PR1 0AA", "PR1 0PA", "PR1 1AQ", "PR1 1ND", "PR1 1XE", "PR1 2HH", "PR1 2SR", "PR1 3DU",
            "PR1 3NW", "PR1 3XJ", "PR1 4GU", "PR1 4RU", "PR1 5BA", "PR1 5NS", "PR1 5XP", "PR1 6JD",
            "PR1 6WA", "PR1 7HS", "PR1 7TS", "PR1 8EW", "PR1 8QF", "PR1 9AG", "PR1 9HH", "PR1 9RU",
        ],
    ),
    (
        "PR5",
        &[
            "PR5 0AA", "PR5 0LL", "PR5 1AX", "PR5 1HH", "PR5 1RS", "PR5 1ZN", "PR5 2GB", "PR5 2PL",
            "PR5 2UL", "PR5 3AQ", "PR5 3LT", "PR5 3TA", "PR5 4AX", "PR5 4HJ", "PR5 4QU", "PR5 5BE",
            "PR5 5NE", "PR5 5WU", "PR5 6DS", "PR5 6LD", "PR5 6TA", "PR5 6ZE", "PR5 7SD", "PR5 8HU",
        ],
    ),
    (
        "SK11",
        &[
            "SK11 0AA", "SK11 0EG", "SK11 0JT", "SK11 0QD", "SK11 6AH", "SK11 6EU", "SK11 6LA",
            "SK11 6QP", "SK11 6TZ", "SK11 7AY", "SK11 7FB", "SK11 7JJ", "SK11 7PP", "SK11 7SS",
            "SK11 7WW", "SK11 8AR", "SK11 8EU", "SK11 8HZ", "SK11 8PD", "SK11 8SG", "SK11 8WR",
            "SK11 9DD", "SK11 9GG", "SK11 9NL",
        ],
    ),
    (
        "ST1",
        &[
            "ST1 1AA", "ST1 1HY", "ST1 1PA", "ST1 2AD", "ST1 2EG", "ST1 2LL", "ST1 2QR", "ST1 3DX",
            "ST1 3JB", "ST1 3PE", "ST1 3SG", "ST1 4AZ", "ST1 4FD", "ST1 4LZ", "ST1 4RD", "ST1 5DG",
            "ST1 5HP", "ST1 5NR", "ST1 5RT", "ST1 5WQ", "ST1 6DW", "ST1 6JX", "ST1 6PZ", "ST1 6TB",
        ],
    ),
    (
        "ST13",
        &[
            "ST13 5AA", "ST13 5DN", "ST13 5HT", "ST13 5NH", "ST13 5QS", "ST13 5TA", "ST13 6AS",
            "ST13 6EB", "ST13 6JL", "ST13 6NU", "ST13 6RD", "ST13 7BW", "ST13 7FE", "ST13 7LD",
            "ST13 7PN", "ST13 7SD", "ST13 8AE", "ST13 8DQ", "ST13 8HP", "ST13 8LX", "ST13 8QF",
            "ST13 8SQ", "ST13 8UY", "ST13 9AT",
        ],
    ),
    (
        "ST15",
        &[
            "ST15 0AA", "ST15 0BX", "ST15 0ES", "ST15 0GN", "ST15 0JG", "ST15 0NB", "ST15 0PX",
            "ST15 0RS", "ST15 0TN", "ST15 0WG", "ST15 0YH", "ST15 8AZ", "ST15 8DW", "ST15 8FR",
            "ST15 8HL", "ST15 8LF", "ST15 8PA", "ST15 8QW", "ST15 8SR", "ST15 8UL", "ST15 8XH",
            "ST15 8ZD", "ST15 9AY", "ST15 9DW",
        ],
    ),
    (
        "ST16",
        &[
            "ST16 1AA", "ST16 1EA", "ST16 1HA", "ST16 1LZ", "ST16 1QY", "ST16 1TX", "ST16 1XZ",
            "ST16 2BA", "ST16 2FA", "ST16 2LU", "ST16 2QW", "ST16 2WB", "ST16 3DQ", "ST16 3GP",
            "ST16 3LN", "ST16 3QL", "ST16 3TJ", "ST16 3XL", "ST16 9AQ", "ST16 9EP", "ST16 9HN",
            "ST16 9NL", "ST16 9RL", "ST16 9UN",
        ],
    ),
    (
        "ST17",
        &[
            "ST17 0AA", "ST17 0DJ", "ST17 0FR", "ST17 0JY", "ST17 0PE", "ST17 0RL", "ST17 0TS",
            "ST17 0XJ", "ST17 4AN", "ST17 4DU", "ST17 4GD", "ST17 4JY", "ST17 4PE", "ST17 4RL",
            "ST17 4TS", "ST17 4XR", "ST17 9AU", "ST17 9EB", "ST17 9GH", "ST17 9JQ", "ST17 9NW",
            "ST17 9RB", "ST17 9TH", "ST17 9WQ",
        ],
    ),
    (
        "ST2",
        &[
            "ST2 0AA", "ST2 0BW", "ST2 0EQ", "ST2 0JE", "ST2 0LY", "ST2 0PS", "ST2 0RL", "ST2 0TE",
            "ST2 7AX", "ST2 7DS", "ST2 7HJ", "ST2 7LD", "ST2 7NX", "ST2 7QR", "ST2 8AZ", "ST2 8DU",
            "ST2 8HJ", "ST2 8LD", "ST2 8NX", "ST2 9AY", "ST2 9AB", "ST2 9HP", "ST2 9LG", "ST2 9PA",
        ],
    ),
    (
        "ST3",
        &[
            "ST3 1AA", "ST3 1HF", "ST3 1PN", "ST3 1TU", "ST3 2EQ", "ST3 2NW", "ST3 2TF", "ST3 3ET",
            "ST3 3NW", "ST3 4EA", "ST3 4NE", "ST3 4SN", "ST3 5BZ", "ST3 5LE", "ST3 5RL", "ST3 5XQ",
            "ST3 6DT", "ST3 6LP", "ST3 6RU", "ST3 7ED", "ST3 7AB", "ST3 7QU", "ST3 7WD", "ST3 9BH",
        ],
    ),
    (
        "ST4",
        &[
            "ST4 1AA", "ST4 1JZ", "ST4 2BH", "ST4 2LG", "ST4 2SN", "ST4 3AW", "ST4 3JR", "ST4 3RY",
            "ST4 4FN", "ST4 4PW", "ST4 5AE", "ST4 5JF", "ST4 5RL", "ST4 6EX", "ST4 6PQ", "ST4 7BD",
            "ST4 7JW", "ST4 7SA", "ST4 8EN", "ST4 8LS", "ST4 8SX", "ST4 8ZJ", "ST4 9FS", "ST4 9PA",
        ],
    ),
    (
        "ST5",
        &[
            "ST5 0AA", "ST5 0HY", "ST5 0RG", "ST5 1BF", "ST5 1LE", "ST5 1SQ", "ST5 2DT", "ST5 2NE",
            "ST5 2TS", "ST5 3EW", "ST5 3PW", "ST5 4AN", "ST5 4JQ", "ST5 5BX", "ST5 5LG", "ST5 6EP",
            "ST5 6PX", "ST5 7BX", "ST5 7LW", "ST5 7TE", "ST5 8DS", "ST5 8NY", "ST5 9AE", "ST5 9HQ",
        ],
    ),
    (
        "ST6",
        &[
            "ST6 1AA", "ST6 1HN", "ST6 1QB", "ST6 2BH", "ST6 2JJ", "ST6 3AG", "ST6 3HJ", "ST6 3QD",
            "ST6 4DG", "ST6 4JR", "ST6 4RG", "ST6 5EF", "ST6 5NE", "ST6 5SU", "ST6 6BG", "ST6 6JN",
            "ST6 6QY", "ST6 6XJ", "ST6 7EE", "ST6 7NS", "ST6 8BP", "ST6 8HQ", "ST6 8AB", "ST6 9AA",
        ],
    ),
    (
        "ST7",
        &[
            "ST7 1AA", "ST7 1EN", "ST7 1LS", "ST7 1RD", "ST7 1UR", "ST7 2BY", "ST7 2GL", "ST7 2LW",
            "ST7 2RF", "ST7 2UR", "ST7 2ZD", "ST7 3DR", "ST7 3JS", "ST7 3QB", "ST7 3TN", "ST7 4BL",
            "ST7 4GN", "ST7 4LZ", "ST7 4RJ", "ST7 4UU", "ST7 8AQ", "ST7 8HA", "ST7 8NZ", "ST7 9AZ",
        ],
    ),
    (
        "SY1",
        &[
            "SY1 1AA", "SY1 1HH", "SY1 1NS", "SY1 1SA", "SY1 1WL", "SY1 2AT", "SY1 2HA", "SY1 2NJ",
            "SY1 2RS", "SY1 2WD", "SY1 3BN", "SY1 3HG", "SY1 3NQ", "SY1 3RX", "SY1 3XL", "SY1 4DJ",
            "SY1 4JN", "SY1 4PZ", "SY1 4TN", "SY1 9BB", "SY1 9FJ", "SY1 9JU", "SY1 9QE", "SY1 9TN",
        ],
    ),
    (
        "SY11",
        &[
            "SY11 1AA", "SY11 1DH", "SY11 1HE", "SY11 1LN", "SY11 1PT", "SY11 1RZ", "SY11 1UU",
            "SY11 2AT", "SY11 2EA", "SY11 2HU", "SY11 2NA", "SY11 2QG", "SY11 2SP", "SY11 2UU",
            "SY11 2YA", "SY11 3BF", "SY11 3EP", "SY11 3HT", "SY11 3LZ", "SY11 3QF", "SY11 4BL",
            "SY11 4ET", "SY11 4JA", "SY11 4NG",
        ],
    ),
    (
        "SY3",
        &[
            "SY3 0AA", "SY3 0DY", "SY3 0JS", "SY3 0PL", "SY3 5AY", "SY3 5ES", "SY3 5LZ", "SY3 6AE",
            "SY3 6WA", "SY3 7DH", "SY3 7HW", "SY3 7NP", "SY3 7RF", "SY3 7WW", "SY3 8DG", "SY3 8HA",
            "SY3 8LY", "SY3 8QR", "SY3 8TH", "SY3 8XE", "SY3 9AE", "SY3 9DY", "SY3 9HS", "SY3 9NQ",
        ],
    ),
    (
        "TF1",
        &[
            "TF1 1AA", "TF1 1HL", "TF1 1PH", "TF1 1TL", "TF1 2AG", "TF1 2FF", "TF1 2LP", "TF1 3AS",
            "TF1 3GB", "TF1 3NL", "TF1 3ZN", "TF1 4EW", "TF1 4JT", "TF1 4QR", "TF1 4UP", "TF1 4ZQ",
            "TF1 5ER", "TF1 5JX", "TF1 5SN", "TF1 6AZ", "TF1 6PS", "TF1 6UY", "TF1 6ZZ", "TF1 9AF",
        ],
    ),
    (
        "TF3",
        &[
            "TF3 1AA", "TF3 1DZ", "TF3 1JZ", "TF3 1NX", "TF3 1QW", "TF3 1SW", "TF3 1UW", "TF3 1XW",
            "TF3 1ZW", "TF3 2BU", "TF3 2ER", "TF3 2JN", "TF3 2NH", "TF3 3AE", "TF3 3DB", "TF3 3ZE",
            "TF3 4BW", "TF3 4ES", "TF3 4JZ", "TF3 4PD", "TF3 5AF", "TF3 5DD", "TF3 5EZ", "TF3 5GZ",
        ],
    ),
    (
        "TF7",
        &[
            "TF7 4AA", "TF7 4BU", "TF7 4EN", "TF7 4HB", "TF7 4JU", "TF7 4NN", "TF7 4QH", "TF7 4SE",
            "TF7 4UL", "TF7 4YR", "TF7 5BE", "TF7 5DY", "TF7 5FR", "TF7 5JE", "TF7 5LX", "TF7 5PQ",
            "TF7 5RG", "TF7 5TA", "TF7 5WE", "TF7 9AL", "TF7 9DD", "TF7 9EY", "TF7 9GT", "TF7 9JN",
        ],
    ),
    (
        "TF9",
        &[
            "TF9 1AA", "TF9 1DS", "TF9 1HY", "TF9 1NP", "TF9 1RD", "TF9 1YH", "TF9 2DQ", "TF9 2HZ",
            "TF9 2NS", "TF9 2RG", "TF9 2TX", "TF9 3BA", "TF9 3ES", "TF9 3HN", "TF9 3NB", "TF9 3QS",
            "TF9 3TG", "TF9 3WX", "TF9 4DA", "TF9 4FR", "TF9 4LB", "TF9 4PS", "TF9 4WL", "TF9 9BY",
        ],
    ),
    (
        "WS1",
        &[
            "WS1 1AA", "WS1 1GS", "WS1 1LW", "WS1 1QW", "WS1 1TT", "WS1 1YR", "WS1 2DG", "WS1 2HX",
            "WS1 2NQ", "WS1 2WX", "WS1 3AY", "WS1 3ES", "WS1 3LH", "WS1 3QN", "WS1 3XU", "WS1 4BP",
            "WS1 4HQ", "WS1 4NL", "WS1 9AN", "WS1 9EE", "WS1 9GY", "WS1 9LR", "WS1 9QP", "WS1 9TG",
        ],
    ),
    (
        "WS11",
        &[
            "WS11 0AA", "WS11 0FE", "WS11 0YS", "WS11 1ES", "WS11 1NA", "WS11 1SD", "WS11 2AE",
            "WS11 2FG", "WS11 2LH", "WS11 2RJ", "WS11 2WL", "WS11 3AR", "WS11 3GA", "WS11 3NX",
            "WS11 3SY", "WS11 3YB", "WS11 4PL", "WS11 5HZ", "WS11 5UB", "WS11 6TP", "WS11 7LN",
            "WS11 8EZ", "WS11 9FH", "WS11 9SE",
        ],
    ),
    (
        "WS2",
        &[
            "WS2 0AA", "WS2 0DE", "WS2 0HA", "WS2 0LJ", "WS2 0YU", "WS2 7BW", "WS2 7EX", "WS2 7JT",
            "WS2 7NU", "WS2 7YH", "WS2 8BH", "WS2 8EL", "WS2 8HQ", "WS2 8LS", "WS2 8QD", "WS2 8SF",
            "WS2 8UG", "WS2 9AY", "WS2 9EB", "WS2 9JE", "WS2 9NN", "WS2 9QR", "WS2 9SW", "WS2 9UZ",
        ],
    ),
    (
        "WS3",
        &[
            "WS3 1AA", "WS3 1DQ", "WS3 1GB", "WS3 1LP", "WS3 1QB", "WS3 1SQ", "WS3 2AL", "WS3 2DZ",
            "WS3 2HY", "WS3 2NN", "WS3 2RB", "WS3 2TU", "WS3 2YP", "WS3 3BW", "WS3 3GT", "WS3 3LF",
            "WS3 3PX", "WS3 3SR", "WS3 3XQ", "WS3 4BB", "WS3 4ET", "WS3 4LH", "WS3 4QQ", "WS3 5AU",
        ],
    ),
    (
        "WV1",
        &[
            "WV1 1AA", "WV1 1HT", "WV1 1PX", "WV1 1TA", "WV1 2AB", "WV1 2EF", "WV1 2LE", "WV1 2QG",
            "WV1 2TJ", "WV1 3AF", "WV1 3EN", "WV1 3LG", "WV1 3QJ", "WV1 4AJ", "WV1 4EP", "WV1 4JN",
            "WV1 4QA", "WV1 4TE", "WV1 9AX", "WV1 9FA", "WV1 9JD", "WV1 9PF", "WV1 9SH", "WV1 9WL",
        ],
    ),
    (
        "WV10",
        &[
            "WV10 0AA", "WV10 0EF", "WV10 0LJ", "WV10 0QP", "WV10 0UJ", "WV10 6BD", "WV10 6FF",
            "WV10 6LD", "WV10 6QL", "WV10 6TQ", "WV10 6ZA", "WV10 7DR", "WV10 7JD", "WV10 7PF",
            "WV10 7YF", "WV10 8DH", "WV10 8JS", "WV10 8QD", "WV10 8TQ", "WV10 9AW", "WV10 9FB",
            "WV10 9LE", "WV10 9QF", "WV10 9TG",
        ],
    ),
    (
        "WV11",
        &[
            "WV11 1AA", "WV11 1DF", "WV11 1GH", "WV11 1JQ", "WV11 1NX", "WV11 1RE", "WV11 1SY",
            "WV11 1WX", "WV11 1YW", "WV11 2BQ", "WV11 2EH", "WV11 2HY", "WV11 2LZ", "WV11 2PT",
            "WV11 2RN", "WV11 2YB", "WV11 3AZ", "WV11 3DU", "WV11 3HF", "WV11 3LJ", "WV11 3PD",
            "WV11 3RA", "WV11 3SX", "WV11 3WQ",
        ],
    ),
];
