"""National code sets, stored as the Department for Education's children-in-need census codes.

We store the codes and show people the words, so the data can feed statutory returns without
translation. Labels are our own short wording.
"""

from django.db import models


class AgencyType(models.TextChoices):
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY = "voluntary", "Voluntary sector"
    EARLY_HELP = "early_help", "Early help"
    ADULT_SERVICES = "adult_services", "Adult services"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    SOCIAL_CARE_MANAGER = "social_care_manager", "Social-care manager"
    ANALYST = "analyst", "Partnership analyst"
    EXECUTIVE = "executive", "Partnership executive"
    ADMINISTRATOR = "administrator", "System administrator"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"
    PARTNERSHIP_BUSINESS_MANAGER = "business_manager", "Partnership business manager"


class GrantPurpose(models.TextChoices):
    """Why a time-limited grant to one child's record exists. Neither ever makes a
    relationship: break glass opens the child's pages; an audit grant opens only the audit's
    own page of that child, until the audit ends."""

    BREAK_GLASS = "break_glass", "Break glass"
    AUDIT = "audit", "Audit"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class NeedLevel(models.TextChoices):
    """The continuum of need, from universal services to looked-after children."""

    UNIVERSAL = "universal", "Universal"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after"


NEED_LEVEL_ORDER = [level.value for level in NeedLevel]


class ProtectionCategory(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    EMOTIONAL = "EMO", "Emotional abuse"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple categories"


class PrimaryNeed(models.TextChoices):
    N0 = "N0", "Not stated"
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability or illness"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"


class ReferralSource(models.TextChoices):
    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance"
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other"
    SCHOOLS = "2A", "Education: schools"
    EDUCATION_OTHER = "2B", "Education: other educational services"
    GP = "3A", "Health: GP"
    HEALTH_VISITOR = "3B", "Health: health visitor"
    SCHOOL_NURSE = "3C", "Health: school nurse"
    HEALTH_OTHER_PRIMARY = "3D", "Health: other primary health services"
    HOSPITAL = "3E", "Health: A&E and other hospital services"
    HEALTH_OTHER = "3F", "Health: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "Local authority: social care"
    LA_OTHER_DEPARTMENT = "5B", "Local authority: other department"
    LA_EXTERNAL = "5C", "Local authority: external"
    EARLY_HELP = "5D", "Local authority: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class ClosureReason(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to services of another local authority"
    RC6 = "RC6", "Transferred to adult social care"
    RC7 = "RC7", "Services ceased for any other reason, including the child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


class AssessmentFactor(models.TextChoices):
    """Factors identified at assessment (a subset of the census list most relevant to neglect)."""

    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: concerns about the parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: concerns about another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: concerns about the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about the parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: concerns about another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: concerns about the child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: concerns about the parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: concerns about another person in the household"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: concerns about the parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: concerns about another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: concerns about the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: concerns about the parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "Learning disability: concerns about another person"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: the parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "Physical disability or illness: another person"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATE_FOSTERING = "8F", "Private fostering"
    UASC = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    CSE = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE = "18A", "Physical abuse"
    SEXUAL_ABUSE = "19A", "Sexual abuse"
    OTHER = "20", "Other"
    FGM = "21", "Female genital mutilation"
    FAITH_ABUSE = "22A", "Abuse linked to faith or belief"
    CCE = "24A", "Child criminal exploitation"


# Factors that describe a parent or carer: what the Adult record's risk factors may hold.
ADULT_RISK_FACTORS = [
    AssessmentFactor.ALCOHOL_PARENT,
    AssessmentFactor.DRUGS_PARENT,
    AssessmentFactor.DOMESTIC_ABUSE_PARENT,
    AssessmentFactor.MENTAL_HEALTH_PARENT,
    AssessmentFactor.LEARNING_DISABILITY_PARENT,
    AssessmentFactor.PHYSICAL_DISABILITY_PARENT,
]
# Domestic abuse, substance misuse and parental mental ill-health: the "toxic trio".
TOXIC_TRIO = {"1B", "2B", "3B", "4B"}


class Ethnicity(models.TextChoices):
    """The census ethnicity codes (the Department's extended list, main categories)."""

    WBRI = "WBRI", "White: British"
    WIRI = "WIRI", "White: Irish"
    WIRT = "WIRT", "White: Traveller of Irish heritage"
    WROM = "WROM", "White: Gypsy or Roma"
    WOTH = "WOTH", "White: any other White background"
    MWBC = "MWBC", "Mixed: White and Black Caribbean"
    MWBA = "MWBA", "Mixed: White and Black African"
    MWAS = "MWAS", "Mixed: White and Asian"
    MOTH = "MOTH", "Mixed: any other mixed background"
    AIND = "AIND", "Asian or Asian British: Indian"
    APKN = "APKN", "Asian or Asian British: Pakistani"
    ABAN = "ABAN", "Asian or Asian British: Bangladeshi"
    AOTH = "AOTH", "Asian or Asian British: any other Asian background"
    BCRB = "BCRB", "Black or Black British: Caribbean"
    BAFR = "BAFR", "Black or Black British: African"
    BOTH = "BOTH", "Black or Black British: any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class UpnUnknown(models.TextChoices):
    """Why a child of school age has no unique pupil number (census UPNunknown)."""

    UN1 = "UN1", "Child is now over compulsory school age"
    UN2 = "UN2", "Child has never attended a maintained school in England"
    UN3 = "UN3", "Child is educated outside England"
    UN4 = "UN4", "Child newly arrived and has not yet been allocated a UPN"
    UN5 = "UN5", "Sources collating UPNs reflect discrepancies"
    UN6 = "UN6", "Child is under 6 years old and not yet in school"
    UN7 = "UN7", "Referral with no further action"
    UN8 = "UN8", "Unborn child"
    UN9 = "UN9", "Child aged 6 or over with no UPN recorded"
    UN10 = "UN10", "Not known"


class Disability(models.TextChoices):
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability under the Equality Act"


class SendProvision(models.TextChoices):
    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "Education, health and care plan"


class NeglectType(models.TextChoices):
    MEDICAL = "medical", "Medical neglect"
    NUTRITIONAL = "nutritional", "Nutritional neglect"
    EMOTIONAL = "emotional", "Emotional neglect"
    EDUCATIONAL = "educational", "Educational neglect"
    PHYSICAL = "physical", "Physical neglect"
    SUPERVISION = "supervision", "Lack of supervision"


class Significance(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ChronologyEventType(models.TextChoices):
    CONCERN = "concern", "Concern logged"
    INVOLVEMENT_CHANGE = "involvement_change", "Level of need changed"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan or review"
    VISIT = "visit", "Visit or contact"
    MISSED_HEALTH_APPOINTMENT = "missed_health_appointment", "Missed health appointment"
    WAS_NOT_BROUGHT = "was_not_brought", "Health appointment: was not brought"
    SCHOOL_EXCLUSION = "school_exclusion", "School exclusion"
    SCHOOL_ABSENCE = "school_absence", "School absence"
    POLICE_CALL_OUT = "police_call_out", "Police call-out"
    HOUSING_VISIT = "housing_visit", "Housing visit"
    HOSPITAL_ATTENDANCE = "hospital_attendance", "Hospital attendance"
    DOMESTIC_ABUSE_NOTIFICATION = "domestic_abuse_notification", "Domestic abuse notification"
    SUPERVISION = "supervision", "Supervision or decision"
    OTHER = "other", "Other significant event"


class RelationshipType(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    PARTNER_OF_PARENT = "partner_of_parent", "Parent's partner"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_RELATIVE = "other_relative", "Other relative"
    FOSTER_CARER = "foster_carer", "Foster carer"
    OTHER = "other", "Other"


class RestrictionReason(models.TextChoices):
    STAFF_RELATIVE = "staff_relative", "Relative of a member of staff"
    ADOPTION = "adoption", "Adoption"
    HIGH_PROFILE = "high_profile", "High profile"


class RelationshipBasis(models.TextChoices):
    """Why an agency has a legitimate relationship with a child."""

    TEAM_AROUND_FAMILY = "team_around_family", "In the team around the family"
    # Kept for seeded history only: since issue 11 writing about a child creates no relationship.
    CONCERN = "concern", "Logged a concern"
    CHRONOLOGY = "chronology", "Recorded a chronology entry"
    ALLOCATION = "allocation", "Child allocated to a worker"
    STEP_UP_REQUEST = "step_up_request", "Asked to step the case up"


class ConcernSeverity(models.TextChoices):
    """The practitioner's judgement of the impact on the child."""

    LOW = "low", "Low: needs met with some gaps"
    MEDIUM = "medium", "Medium: some needs unmet, impact on the child"
    HIGH = "high", "High: significant harm or likely significant harm"


class ConcernAction(models.TextChoices):
    ADVICE = "advice", "Advice or support given"
    EARLY_HELP_ASSESSMENT = "early_help_assessment", "Early-help assessment started"
    FRONT_DOOR_REFERRAL = "front_door_referral", "Referral to children's social care front door"
    POLICE = "police", "Police informed"
    NONE_YET = "none_yet", "No action yet: recorded for the chronology"


class ConsentToShare(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED_SHARED_ANYWAY = "refused_shared", "Consent refused: shared to safeguard the child"
    NOT_SOUGHT = "not_sought", "Consent not sought: seeking it would put the child at risk"


class DriftSeverity(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    ENDED = "ended", "Ended"


class PlanActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"


OPEN_ACTION_STATUSES = (PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS)


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    SCHOOL_VISIT = "school_visit", "Visit at school or nursery"
    OFFICE = "office", "Office or clinic appointment"
    PHONE = "phone", "Phone or video call"


class MeetingKind(models.TextChoices):
    """Child protection meetings, in the order Working Together sets them."""

    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    INITIAL_CONFERENCE = "initial_conference", "Initial child protection conference"
    CORE_GROUP = "core_group", "Core group meeting"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"


class ReferralDecision(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment by children's social care"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    EARLY_HELP = "early_help", "Referred to early help"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class DriftDecision(models.TextChoices):
    ACCEPT_RISK = "accept_risk", "Accept the risk for now"
    ACTION_SET = "action_set", "Set an action"
    ESCALATE = "escalate", "Escalate to children's social care"
    COMPLEX_CASE_MEETING = "complex_case_meeting", "Request a complex-case meeting"


class ChallengeOutcome(models.TextChoices):
    """The case-holding agency's answer to a professional challenge."""

    AGREED = "agreed", "Agreed"
    NOT_AGREED = "not_agreed", "Not agreed"


# The partnership's escalation levels: a challenge unanswered by its date rises one level.
CHALLENGE_LEVELS = {1: "Team manager", 2: "Service manager", 3: "Head of service"}


class StepUpStatus(models.TextChoices):
    PENDING = "pending", "Awaiting a decision"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ConcernOutcomeKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ASSESSMENT_STARTED = "assessment_started", "Assessment started"
    ESCALATED = "escalated", "Escalated"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
