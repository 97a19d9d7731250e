namespace Parley.Engine.Knowledge;

/// <summary>
/// Words visitors use for the same thing a business writes differently ("cost" for "price", "open" for "hours").
/// Each maps to one canonical word on both sides of the search. Only pairs that mean the same in a customer question
/// belong here; a loose pair makes unrelated questions look answered.
/// </summary>
public static class Synonyms
{
    private static readonly Dictionary<string, string> Map = new(StringComparer.Ordinal)
    {
        ["cost"] = "price", ["costs"] = "price", ["pricing"] = "price", ["prices"] = "price", ["priced"] = "price",
        ["charge"] = "fee", ["charges"] = "fee", ["fees"] = "fee",
        ["cheap"] = "price", ["expensive"] = "price",
        ["refund"] = "refund", ["refunds"] = "refund", ["refunded"] = "refund", ["reimburse"] = "refund", ["reimbursement"] = "refund", ["moneyback"] = "refund",
        ["deliver"] = "shipping", ["delivery"] = "shipping", ["deliveries"] = "shipping", ["delivered"] = "shipping",
        ["ship"] = "shipping", ["shipped"] = "shipping", ["ships"] = "shipping", ["shipment"] = "shipping", ["postage"] = "shipping",
        ["opening"] = "hours", ["open"] = "hours", ["opens"] = "hours", ["close"] = "hours", ["closed"] = "hours", ["closes"] = "hours",
        ["hour"] = "hours",
        ["located"] = "location", ["address"] = "location", ["where's"] = "location", ["directions"] = "location",
        ["phone"] = "contact", ["call"] = "contact", ["email"] = "contact", ["reach"] = "contact", ["telephone"] = "contact",
        ["appointment"] = "booking", ["appointments"] = "booking", ["book"] = "booking", ["booked"] = "booking", ["reserve"] = "booking",
        ["reservation"] = "booking", ["reservations"] = "booking", ["schedule"] = "booking",
        ["cancel"] = "cancel", ["cancellation"] = "cancel", ["cancelled"] = "cancel", ["canceled"] = "cancel", ["cancelling"] = "cancel",
        ["pay"] = "payment", ["paying"] = "payment", ["paid"] = "payment", ["payments"] = "payment",
        ["card"] = "card", ["cards"] = "card", ["credit"] = "card", ["debit"] = "card",
        ["guarantee"] = "warranty", ["guaranteed"] = "warranty",
        ["parking"] = "park", ["parked"] = "park",
        ["vegan"] = "vegan", ["vegetarian"] = "vegetarian",
        ["gluten"] = "gluten",
        ["job"] = "career", ["jobs"] = "career", ["hiring"] = "career", ["careers"] = "career", ["vacancy"] = "career", ["vacancies"] = "career",
        ["kid"] = "child", ["kids"] = "child", ["children"] = "child",
        // A dog is a pet, but a cat is not a dog: mapping both to "pet" made "do you groom cats?" look answered by a
        // groomer of dogs. Only the word a business writes for all of them ("pets") joins.
        ["dog"] = "pet", ["dogs"] = "pet", ["pets"] = "pet",
        ["wifi"] = "wifi", ["wi"] = "wifi", ["internet"] = "wifi",
        ["discount"] = "discount", ["discounts"] = "discount", ["coupon"] = "discount", ["promo"] = "discount", ["sale"] = "discount",
        ["gift"] = "gift", ["voucher"] = "gift", ["vouchers"] = "gift",
        ["install"] = "install", ["installation"] = "install", ["setup"] = "install", ["deploy"] = "install",
        ["export"] = "export", ["download"] = "export",
        ["free"] = "free", ["gratis"] = "free",
        ["personal"] = "privacy", ["gdpr"] = "privacy",
        ["weekend"] = "saturday sunday", ["weekends"] = "saturday sunday",
        ["allergy"] = "allergen", ["allergies"] = "allergen", ["allergic"] = "allergen", ["allergens"] = "allergen",
        ["staff"] = "team", ["employees"] = "team",
        ["estimate"] = "quote", ["estimates"] = "quote", ["quotes"] = "quote", ["quotation"] = "quote", ["quoted"] = "quote",
        ["reschedule"] = "booking", ["rebook"] = "booking", ["rearrange"] = "booking",
        ["dye"] = "color", ["dyed"] = "color", ["colour"] = "color", ["colours"] = "color", ["colors"] = "color", ["coloured"] = "color",
        ["clip"] = "trim", ["clipping"] = "trim", ["trims"] = "trim", ["trimming"] = "trim", ["trimmed"] = "trim",
        ["pickup"] = "collect", ["collection"] = "collect", ["collected"] = "collect", ["collecting"] = "collect",
        ["ring"] = "contact",
    };

    /// <summary>The canonical word (or words, space-separated) for <paramref name="word"/>, or the word itself.</summary>
    public static string Canonical(string word) => Map.TryGetValue(word, out var canonical) ? canonical : word;

    // The canonical words that say what kind of question is asked (its price, its hours, how to book) rather than name
    // a thing; the others ("pet", "gluten", "wifi") name things as much as any word does.
    private static readonly HashSet<string> KindTerms = [.. """
        price fee refund shipping hours location contact booking cancel payment warranty install export free discount
        privacy saturday sunday
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(EnglishStemmer.Stem)];

    /// <summary>
    /// Whether a search term is a canonical word above that says what kind of question is asked ("price", "hours",
    /// "booking") and names no thing: "how much to groom a cat" asks a price, and its thing is the cat.
    /// </summary>
    public static bool IsKindTerm(string term) => KindTerms.Contains(term);
}
