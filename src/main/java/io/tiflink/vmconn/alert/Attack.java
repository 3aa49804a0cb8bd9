package io.tiflink.vmconn.alert;

/**
 * The rule's MITRE ATT&CK tactic and technique (SPEC 3.5: CommandAndControl, T1071) as ATT&CK names
 * them, for the OCSF and ECS alerts.
 */
final class Attack {

    static final String FRAMEWORK = "MITRE ATT&CK";
    static final String TACTIC_ID = "TA0011";
    static final String TACTIC_NAME = "Command and Control";
    static final String TACTIC_URL = "https://attack.mitre.org/tactics/TA0011/";
    static final String TECHNIQUE_ID = AlertJson.TECHNIQUE;
    static final String TECHNIQUE_NAME = "Application Layer Protocol";
    static final String TECHNIQUE_URL = "https://attack.mitre.org/techniques/T1071/";

    private Attack() {}
}
