package io.wacast.campaign.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One suppressed number: it is stored opted_out in every campaign and never dispatched. */
@Entity
@Table(name = "opt_outs")
public class OptOut extends PanacheEntityBase {

    /**
     * Why a number is suppressed: an operator entry, Meta's 131050, the user's own STOP reply or
     * WhatsApp marketing preference. The user's opt-in lifts all but the operator's.
     */
    public static final String SOURCE_OPERATOR = "operator";
    public static final String SOURCE_META = "meta_131050";
    public static final String SOURCE_REPLY = "reply";
    /** The user turned marketing messages off in WhatsApp ({@code user_preferences} webhook). */
    public static final String SOURCE_PREFERENCE = "preference";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Null once the contact of the number was erased; {@link #phoneHash} still matches it. */
    @Column(name = "phone_e164")
    public String phone;

    /** {@link PhoneHash#of} the number (of the BSUID, for a BSUID's entry): what the send-time check reads. */
    @Column(name = "phone_hash")
    public String phoneHash;

    /**
     * The business-scoped user id of an entry that names the user by it (a STOP or preference from a
     * BSUID, docs/DESIGN.md §11 D22); such an entry has no number.
     */
    public String bsuid;

    public String source;

    public String reason;

    @Column(name = "created_at")
    public Instant createdAt;
}
